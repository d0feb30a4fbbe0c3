import Hummingbird

/// Makes the mock refuse connections (ECONNREFUSED). The host closes the listening socket while
/// the rule is active; a request that still arrives on an older connection is reset.
struct RefuseFault: Fault {
    var capabilities: FaultCapabilities { [.controlsListener] }

    func apply(to request: Request, context: FaultContext, next: (Request) async throws -> Response) async throws -> Response {
        await ConnectionControl.reset(context.channel)
        throw ConnectionAbandoned()
    }
}
