import Hummingbird

/// Reads the request and never answers; returns only when the client (or the host) closes the connection.
/// Meanwhile it sleeps on the mock's clock, so on virtual time the hung request is parked on the
/// clock and the gateway's virtual deadline can fire.
struct HangFault: Fault {
    var capabilities: FaultCapabilities { [.readsRequestFirst] }

    func apply(to request: Request, context: FaultContext, next: (Request) async throws -> Response) async throws -> Response {
        await ConnectionControl.waitForClose(context.channel, parkedOn: context.time)
        throw ConnectionAbandoned()
    }
}
