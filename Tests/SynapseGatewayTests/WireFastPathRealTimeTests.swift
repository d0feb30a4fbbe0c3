import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import SynapseCore
import Testing

@testable import SynapseGateway

/// What `WireFastPathHandler` owns while it reads a connection itself, Hummingbird's connection
/// handler seeing none of its requests: the idle timeout (counted from the last activity, never
/// during an exchange, given back at a hand-over) and graceful close. Real time, run on their own:
/// in a busy test process a warm-up's round trips can leave a connection quiet for longer than the
/// short idle timeouts these tests need.
@Suite struct WireFastPathRealTimeTests {
    static func config(upstream port: Int, idle: Duration) -> SynapseConfig {
        Harness.config(["llama-embed": port]) {
            $0.gateway.apiKeys = [FastPathTests.key]
            $0.gateway.clientIdleTimeout = idle
            $0.backends[0].timeouts.total = .seconds(3)
        }
    }

    /// An exchange longer than the idle timeout is not cut by it (the backend's answer after 2 s
    /// arrives, though the client sent nothing for 2 s with a 1 s idle timeout); once it is
    /// answered, the connection is closed after 1 s of quiet.
    @Test(arguments: FastPathTests.codecs) func theIdleTimeoutCountsFromTheLastActivity(codec: String) async throws {
        try await Harness.withUpstream(FastPathTests.upstream) { port in
            try await Harness.withGateway(Self.config(upstream: port, idle: .seconds(1))) { url in
                let gateway = FastPathTests.port(of: url)
                try await RawHTTPConnection.with(port: gateway) { connection in
                    try await FastPathTests.prepare(&connection, port: gateway, codec: codec)
                    let before = try await FastPathTests.fastCount(gateway, codec: codec)
                    try await connection.send(FastPathTests.request("slow"))
                    let reply = try #require(try await connection.response(), "answered, not closed by the idle timeout")
                    let answered = ContinuousClock.now
                    #expect(reply.status == 200)
                    #expect(try await connection.closed())
                    let quiet = ContinuousClock.now - answered
                    #expect(quiet >= .milliseconds(900) && quiet < .milliseconds(3000), "closed after the idle timeout: \(quiet)")
                    #expect(try await FastPathTests.fastCount(gateway, codec: codec) == before + 1)
                }
            }
        }
    }

    /// Requests keep a connection open past the idle timeout as long as each comes within it.
    @Test func requestsWithinTheIdleTimeoutKeepTheConnection() async throws {
        try await Harness.withUpstream(FastPathTests.upstream) { port in
            try await Harness.withGateway(Self.config(upstream: port, idle: .seconds(1))) { url in
                let gateway = FastPathTests.port(of: url)
                try await RawHTTPConnection.with(port: gateway) { connection in
                    try await FastPathTests.warm(&connection, port: gateway)
                    let before = try await FastPathTests.fastCount(gateway, codec: "wire")
                    for _ in 0..<5 {
                        try await Task.sleep(for: .milliseconds(500))
                        try await connection.send(FastPathTests.request("small"))
                        #expect(try #require(try await connection.response()).status == 200)
                    }
                    #expect(try await FastPathTests.fastCount(gateway, codec: "wire") == before + 5)
                }
            }
        }
    }

    /// Graceful shutdown: an idle connection read by the wire handler is closed at once; one with
    /// an exchange under way gets its answer first, then is closed.
    @Test(.timeLimit(.minutes(1))) func gracefulShutdownClosesAfterTheAnswer() async throws {
        let gate = StreamingRelayTests.Gate()
        let arrived = StreamingRelayTests.Gate()
        try await Harness.withUpstream({ router in
            router.post("/v1/embeddings") { request, _ -> String in
                let body = try await request.body.collect(upTo: 1 << 16)
                if String(buffer: body).contains("hold") {
                    arrived.release(0)
                    await gate.wait(for: 0)
                }
                return #"{"data":[]}"#
            }
        }) { port in
            var config = Self.config(upstream: port, idle: .seconds(60))
            config.gateway.drainWindow = .milliseconds(100)
            config.gateway.voiceLibraryDir = FileManager.default.temporaryDirectory.appendingPathComponent("synapse-wire-\(UUID().uuidString)").path
            try await Harness.withServiceGroup(config) { port, group in
                try await RawHTTPConnection.with(port: port) { idle in
                    try await RawHTTPConnection.with(port: port) { busy in
                        try await FastPathTests.warm(&idle, port: port)
                        try await FastPathTests.warm(&busy, port: port)
                        let before = try await FastPathTests.fastCount(port, codec: "wire")
                        try await busy.send(FastPathTests.request("hold"))
                        try await withTimeout(.seconds(20)) { await arrived.wait(for: 0) }
                        #expect(try await FastPathTests.fastCount(port, codec: "wire") == before + 1, "the held request is on the wire path")
                        await group.triggerGracefulShutdown()
                        #expect(try await idle.closed(), "the idle connection is closed")
                        gate.release(0)
                        let reply = try #require(try await busy.response(), "the exchange under way is answered")
                        #expect(reply.status == 200 && reply.body == #"{"data":[]}"#)
                        #expect(try await busy.closed(), "then its connection is closed")
                    }
                }
            }
        }
    }
}
