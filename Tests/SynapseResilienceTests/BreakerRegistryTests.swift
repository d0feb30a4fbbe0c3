import SynapseClock
import SynapseCore
import SynapseResilience
import Synchronization
import Testing

@Suite struct BreakerRegistryTests {
    let clock = VirtualClock()

    func backend(_ name: String, threshold: Int) throws -> BackendConfig {
        let url = try #require(BackendURL.parse("http://127.0.0.1:9"))
        var config = BackendConfig(id: try #require(BackendID(name)), url: url, type: "test")
        config.breaker.failureThreshold = threshold
        return config
    }

    @Test func eachBackendGetsItsOwnBreakerWithItsOwnSettingsAndTransitionsNameTheBackend() throws {
        let embed = try #require(BackendID("llama-embed"))
        let router = try #require(BackendID("llama-router"))
        let log = BackendTransitionLog()
        let registry = BreakerRegistry(
            backends: [try backend("llama-embed", threshold: 1), try backend("llama-router", threshold: 5)],
            clock: clock
        ) { log.append($0, $1) }
        #expect(registry.backends == [embed, router])
        #expect(registry[try #require(BackendID("whisper-stt"))] == nil)

        for id in [embed, router] {
            guard case .allow(let permit) = try #require(registry[id]).admit() else {
                Issue.record("a fresh breaker must allow")
                return
            }
            permit.record(.connectFailed(.refused))
        }
        #expect(registry.snapshots[embed]?.state == .open)
        #expect(registry.snapshots[router] == BreakerSnapshot(state: .closed, consecutiveFailures: 1, timeUntilHalfOpen: nil))
        #expect(log.all.map(\.backend) == [embed])
    }
}

/// Transitions reported by a `BreakerRegistry`, with their backends, in arrival order.
final class BackendTransitionLog: Sendable {
    private let entries = Mutex<[(backend: BackendID, transition: BreakerTransition)]>([])

    func append(_ backend: BackendID, _ transition: BreakerTransition) { entries.withLock { $0.append((backend, transition)) } }

    var all: [(backend: BackendID, transition: BreakerTransition)] { entries.withLock { $0 } }
}
