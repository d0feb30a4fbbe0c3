import Foundation
import Hummingbird
import NIOHTTP1
import SynapseCore
import SynapseResilience
import Synchronization
import Testing

@testable import SynapseGateway

/// Per-backend concurrency: `limits.maxInFlight` running, a short FIFO queue, then 503
/// `backend_saturated` with `Retry-After`; never the breaker's business.
@Suite struct InFlightLimiterTests {
    /// Waits (politely) until `condition` holds.
    static func eventually(_ condition: @Sendable () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition())
    }

    @Test func queuedRequestsGetTheSlotInArrivalOrder() async throws {
        let limiter = InFlightLimiter(maxInFlight: 3, queueTimeout: .seconds(30))
        for _ in 0..<3 { try await limiter.acquire() }
        final class Order: Sendable { let indices = Mutex<[Int]>([]) }
        let order = Order()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<3 {
                group.addTask {
                    try await limiter.acquire()
                    order.indices.withLock { $0.append(index) }
                    limiter.release()
                }
                // Queue them one after the other.
                try await Self.eventually { limiter.queued == index + 1 }
            }
            limiter.release()
            try await group.waitForAll()
        }
        #expect(order.indices.withLock { $0 } == [0, 1, 2])
        #expect(limiter.inFlight == 2)
        limiter.release()
        limiter.release()
        #expect(limiter.inFlight == 0)
    }

    @Test func aFullQueueRefusesAtOnceAndAWaitEndsAtTheQueueTimeout() async throws {
        let limiter = InFlightLimiter(maxInFlight: 1, queueTimeout: .milliseconds(200))
        try await limiter.acquire()
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    try await limiter.acquire()
                    return true
                } catch is InFlightLimiter.Saturated { return false }
            }
            try await Self.eventually { limiter.queued == 1 }
            // The queue holds maxInFlight (1) waiters: the next one is refused without waiting.
            await #expect(throws: InFlightLimiter.Saturated.self) { try await limiter.acquire() }
            // The waiter gives up after 200 ms.
            #expect(try await group.next() == false)
        }
        #expect(limiter.queued == 0)
        limiter.release()
        #expect(limiter.inFlight == 0)
    }

    @Test func aCancelledWaiterLeavesTheQueue() async throws {
        let limiter = InFlightLimiter(maxInFlight: 1, queueTimeout: .seconds(30))
        try await limiter.acquire()
        let waiter = Task { try await limiter.acquire() }
        try await Self.eventually { limiter.queued == 1 }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(limiter.queued == 0)
        limiter.release()
        #expect(limiter.inFlight == 0)
    }

    @Test func aSaturatedBackendAnswers503WithRetryAfterAndItsBreakerStaysClosed() async throws {
        let arrived = StreamingRelayTests.Gate()
        let finish = StreamingRelayTests.Gate()
        try await Harness.withUpstream({ router in
            router.post("/v1/embeddings") { _, _ -> Response in
                arrived.release(0)
                await finish.wait(for: 0)
                return Response(status: .ok)
            }
        }) { port in
            let config = Harness.config(["llama-embed": port]) {
                $0.backends[0].limits.maxInFlight = 1
                $0.backends[0].limits.queueTimeout = .milliseconds(300)
            }
            try await Harness.withGatewayService(config) { service, url in
                try await Harness.withClient { client in
                    let json = [("Content-Type", "application/json")]
                    let body = Data("{\"input\":\"x\"}".utf8)
                    async let first = client.send(.POST, url + "/v1/embeddings", headers: json, body: body)
                    await arrived.wait(for: 0)
                    // One runs, the second waits 300 ms in the queue, then is refused.
                    let refused = try await client.send(.POST, url + "/v1/embeddings", headers: json, body: body)
                    #expect(refused.status == 503)
                    #expect(refused.errorCode == "backend_saturated")
                    #expect(refused.header("Retry-After") == "1")
                    #expect(service.breakers[BackendID("llama-embed")!]?.state == .closed)
                    finish.release(0)
                    #expect(try await first.status == 200)
                }
            }
        }
    }

    @Test func limitKeysDecodeWithDefaults() throws {
        #expect(BackendConfig.Limits().maxInFlight == 256)
        #expect(BackendConfig.Limits().queueTimeout == .seconds(1))
        let yaml = """
            backends:
              a: {url: "http://127.0.0.1:1", limits: {maxInFlight: 8}}
            """
        let outcome = ConfigLoader(environment: ["SYNAPSE_BACKENDS_A_LIMITS_QUEUE_TIMEOUT": "250ms"]).load(yaml: yaml)
        let config = try #require(outcome.config)
        #expect(config.backends[0].limits.maxInFlight == 8)
        #expect(config.backends[0].limits.queueTimeout == .milliseconds(250))
        let reloaded = try #require(ConfigLoader().load(yaml: config.effectiveYAML()).config)
        #expect(reloaded.backends == config.backends)
    }
}
