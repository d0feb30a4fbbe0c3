import Hummingbird
import SynapseCore

/// Closes the connection with a TCP RST, before or after reading the request.
struct ResetFault: Fault {
    let phase: FaultSpec.ResetPhase

    var capabilities: FaultCapabilities {
        phase == .afterRequest ? [.readsRequestFirst] : []
    }

    func apply(to request: Request, context: FaultContext, next: (Request) async throws -> Response) async throws -> Response {
        await ConnectionControl.reset(context.channel)
        throw ConnectionAbandoned()
    }
}
