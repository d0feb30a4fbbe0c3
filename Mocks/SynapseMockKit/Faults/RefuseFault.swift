import Hummingbird

/// Makes the mock refuse connections (ECONNREFUSED). The host closes the listening socket (and
/// drops open connections) while the rule is active, so the rule's route, method, `times`,
/// `every` and `probability` have nothing to count: it lasts until removed or cleared. A request
/// that still arrives on a connection accepted just before is reset.
struct RefuseFault: Fault {
    var capabilities: FaultCapabilities { [.controlsListener] }

    func apply(to request: Request, context: FaultContext, next: (Request) async throws -> Response) async throws -> Response {
        await ConnectionControl.reset(context.channel)
        throw ConnectionAbandoned()
    }
}
