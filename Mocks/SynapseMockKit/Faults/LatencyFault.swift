import Hummingbird
import SynapseCore

/// Delays the response by a fixed time plus uniform jitter, on the mock's clock.
struct LatencyFault: Fault {
    let fixed: Duration
    let jitter: Duration

    func apply(to request: Request, context: FaultContext, next: (Request) async throws -> Response) async throws -> Response {
        var random = context.random
        // 53 random bits give a uniform fraction in [0, 1).
        let fraction = Double(random.next() >> 11) * 0x1p-53
        try await context.time.sleep(fixed + jitter * fraction)
        return try await next(request)
    }
}
