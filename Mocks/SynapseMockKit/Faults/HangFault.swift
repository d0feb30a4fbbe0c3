import Hummingbird

/// Reads the request and never answers; returns only when the client (or the host) closes the connection.
struct HangFault: Fault {
    var capabilities: FaultCapabilities { [.readsRequestFirst] }

    func apply(to request: Request, context: FaultContext, next: (Request) async throws -> Response) async throws -> Response {
        await ConnectionControl.waitForClose(context.channel)
        throw ConnectionAbandoned()
    }
}
