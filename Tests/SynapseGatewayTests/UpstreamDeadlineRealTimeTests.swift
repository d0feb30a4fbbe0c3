import AsyncHTTPClient
import Hummingbird
import NIOCore
import Testing

@testable import SynapseGateway

/// The pass-through client's deadline timer on real time, to a few hundred milliseconds.
/// `RealTime` in the name: scripts/test.sh runs these after the rest of the suite, alone, since
/// a 300 ms deadline met by a quick answer cannot be held while hundreds of tests start at once
/// on two cores.
@Suite struct UpstreamDeadlineRealTimeTests {
    @Test func aConnectionsTimerKeepsUpWithTheExchangeUnderWay() async throws {
        try await Harness.withUpstream(UpstreamClientTests.slowRoute) { port in
            let (client, pool) = UpstreamClientTests.client(port: port)
            defer { client.shutdown() }
            // A short deadline, met: its timer stays armed on the connection after it goes back.
            let quick = try await client.execute(UpstreamClientTests.post(waiting: 0), on: pool, deadline: .now() + .milliseconds(300))
            _ = try await UpstreamClientTests.collect(quick.body)
            #expect(pool.idleCount == 1)
            // The same connection, a long deadline, an answer after 600 ms: the old timer must not cut it.
            let slow = try await client.execute(UpstreamClientTests.post(waiting: 600), on: pool, deadline: .now() + .seconds(10))
            #expect(try await UpstreamClientTests.collect(slow.body) == "{}")
            #expect(pool.idleCount == 1)
            // And a short deadline after a long one is kept to, not pushed back to the long one's timer.
            let started = ContinuousClock.now
            await #expect(throws: UpstreamFailure.deadlineExceeded) {
                _ = try await client.execute(UpstreamClientTests.post(waiting: 5000), on: pool, deadline: .now() + .milliseconds(300))
            }
            #expect(ContinuousClock.now - started < .seconds(3))
        }
    }
}
