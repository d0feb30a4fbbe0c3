import AsyncHTTPClient
import Hummingbird
import NIOCore
import NIOPosix
import Testing

@testable import SynapseGateway

/// The pass-through client's timers on real time (the deadline, the idle timeout), to a few hundred
/// milliseconds.
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

    @Test func anIdleConnectionIsReusedOnlyWithinTheIdleTimeout() async throws {
        // A raw server that answers every request and counts its connections.
        let accepted = Counter()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                accepted.increment()
                return channel.pipeline.addHandler(AnswerEveryRead())
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        var configuration = ConnectionPool.Configuration()
        configuration.idleTimeout = .milliseconds(200)
        let pool = ConnectionPool(
            host: "127.0.0.1", port: server.localAddress!.port!, configuration: configuration, eventLoop: MultiThreadedEventLoopGroup.singleton.next())
        let client = UpstreamClient(backends: [])
        defer { pool.shutdown() }
        for pause in [Duration.zero, .zero, .milliseconds(400)] {
            try await Task.sleep(for: pause)
            let response = try await client.execute(UpstreamClientTests.post("{}"), on: pool, deadline: UpstreamClientTests.soon)
            #expect(try await UpstreamClientTests.collect(response.body) == "{}")
        }
        // The second request reused the first's connection; the third came after the idle timeout.
        #expect(accepted.value == 2)
    }
}

/// Answers every read with a keep-alive 200 `{}`.
private final class AnswerEveryRead: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")), promise: nil)
    }
}
