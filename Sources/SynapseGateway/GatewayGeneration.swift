import HTTPTypes
import Hummingbird
import SynapseClock
import SynapseCore
import SynapseResilience

/// What the gateway builds from one configuration: its backends' clients and breakers. The
/// routes, the responder and the fast path are built over it (`GatewayService.activate`).
///
/// A reload builds the next generation beside the running one and swaps it in; requests already
/// under way keep the generation they started with, and its clients are closed only once the
/// longest deadline it allowed has passed (`GatewayService.retire`).
final class GatewayGeneration: Sendable {
    /// 1 at start-up, then one more per successful reload.
    let number: Int
    let config: SynapseConfig
    let pool: BackendPool
    let breakers: BreakerRegistry<AnyClock>

    init(number: Int, config: SynapseConfig, pool: BackendPool, breakers: BreakerRegistry<AnyClock>) {
        self.number = number
        self.config = config
        self.pool = pool
        self.breakers = breakers
    }

    /// The longest a request of this generation can last: its clients are kept that long after
    /// it was replaced.
    var longestDeadline: Duration {
        config.longestDeadline ?? .seconds(600)
    }
}

/// The gateway's responder behind a reload: each request is answered by the generation current
/// when it arrived.
struct SwappableResponder: HTTPResponder {
    typealias Context = GatewayContext
    let slot: Swappable<GatewayResponder?>

    func respond(to request: Request, context: GatewayContext) async throws -> Response {
        guard let responder = slot.current else {
            return GatewayError.internalError("The gateway is starting").response(requestID: context.requestID)
        }
        return try await responder.respond(to: request, context: context)
    }
}
