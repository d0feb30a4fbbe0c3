import Foundation
import Hummingbird
import NIOHTTP1
import SynapseCore
import Synchronization
import Testing

@testable import SynapseGateway

/// Limits enforced per connection, tried over real sockets: slow heads and bodies (408, closed),
/// oversized heads (431), and the cap on open connections.
@Suite struct ConnectionLimitTests {
    /// Small values, so that a trickling client is cut within about a second.
    static let impatient: @Sendable (inout SynapseConfig) -> Void = {
        $0.gateway.headerReadTimeout = .seconds(1)
        $0.gateway.bodyIdleTimeout = .seconds(1)
        $0.gateway.bodyRateGracePeriod = .seconds(1)
        $0.gateway.minBodyRate = 1024
    }

    /// A gateway in front of an upstream that counts requests (and reads uploads after `delay`).
    func withGateway(
        _ configure: @escaping @Sendable (inout SynapseConfig) -> Void, uploadDelay: Duration = .zero,
        _ body: @Sendable (Int) async throws -> Void
    ) async throws -> Int {
        let hits = Mutex(0)
        try await Harness.withUpstream({ router in
            router.post("/v1/embeddings") { _, _ -> Response in
                hits.withLock { $0 += 1 }
                return Response(status: .ok)
            }
            router.post("/denoise") { request, _ -> Response in
                hits.withLock { $0 += 1 }
                try await Task.sleep(for: uploadDelay)
                var bytes = 0
                for try await chunk in request.body { bytes += chunk.readableBytes }
                return Response(status: .ok, body: .init(byteBuffer: .init(string: "\(bytes)")))
            }
        }) { port in
            let config = Harness.config(["llama-embed": port, "deepfilter-audio": port], configure: configure)
            try await Harness.withGateway(config) { url in try await body(Int(url.split(separator: ":").last!)!) }
        }
        return hits.withLock { $0 }
    }

    static let embeddingsHead = "POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"

    @Test func clientTricklingItsBodyIsCutOffWith408() async throws {
        // The rate check (after 1 s), not the idle timeout: that one is long enough here that a
        // trickle delayed on a loaded machine cannot reach it first.
        let rateOnly: @Sendable (inout SynapseConfig) -> Void = {
            Self.impatient(&$0)
            $0.gateway.bodyIdleTimeout = .seconds(5)
        }
        let hits = try await withGateway(rateOnly) { port in
            try await withTimeout(.seconds(10)) {
                try await RawHTTPConnection.with(port: port) { connection in
                    try await connection.send(Self.embeddingsHead + "[")
                    // A byte every 300 ms: never silent for the idle timeout, far below 1 KiB/s.
                    let trickle = connection.trickle(" ")
                    defer { trickle.cancel() }
                    let response = try await connection.response()
                    #expect(response?.status == 408)
                    #expect(response?.errorCode == "request_timeout")
                    #expect(response?.body.contains("below the minimum of 1KiB/s") == true)
                    #expect(try await connection.closed())
                }
            }
        }
        #expect(hits == 0)
    }

    @Test func clientThatStopsMidBodyIsCutAtTheIdleTimeout() async throws {
        // The rate check waits 5 s: the silence is what cuts this client.
        let hits = try await withGateway({
            Self.impatient(&$0)
            $0.gateway.bodyRateGracePeriod = .seconds(5)
        }) { port in
            try await withTimeout(.seconds(10)) {
                try await RawHTTPConnection.with(port: port) { connection in
                    try await connection.send(Self.embeddingsHead + "{\"input\":")
                    let response = try await connection.response()
                    #expect(response?.status == 408)
                    #expect(response?.body.contains("No request body data received for 1s") == true)
                    #expect(try await connection.closed())
                }
            }
        }
        #expect(hits == 0)
    }

    @Test func clientTricklingItsHeadIsCutAtTheHeaderTimeout() async throws {
        // The idle timeout alone (60 s) would never fire: a byte comes every 300 ms.
        _ = try await withGateway(Self.impatient) { port in
            try await withTimeout(.seconds(10)) {
                try await RawHTTPConnection.with(port: port) { connection in
                    try await connection.send("GET /healthz HTTP/1.1\r\n")
                    let trickle = connection.trickle("X-A: b\r\n")
                    defer { trickle.cancel() }
                    let response = try await connection.response()
                    #expect(response?.status == 408)
                    #expect(response?.errorCode == "request_timeout")
                    #expect(try await connection.closed())
                }
            }
        }
    }

    @Test func aKeepAliveConnectionIdleLongerThanTheLimitsStillServesItsNextRequest() async throws {
        let hits = try await withGateway(Self.impatient) { port in
            try await withTimeout(.seconds(10)) {
                try await RawHTTPConnection.with(port: port) { connection in
                    let request = "POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
                    try await connection.send(request)
                    #expect(try await connection.response()?.status == 200)
                    // Idle between requests for longer than every body limit (1 s here).
                    try await Task.sleep(for: .milliseconds(1500))
                    try await connection.send(request)
                    #expect(try await connection.response()?.status == 200)
                }
            }
        }
        #expect(hits == 2)
    }

    @Test func uploadToASlowBackendIsNotBlamedOnTheClient() async throws {
        // The backend reads nothing for 2.5 s (longer than the 1 s idle timeout): the gateway stops
        // reading the client meanwhile, and that pause is not the client's silence.
        let hits = try await withGateway(Self.impatient, uploadDelay: .milliseconds(2500)) { port in
            try await Harness.withClient { client in
                var form = MultipartBody()
                form.parts.append(("file", "a.wav", "audio/wav", Data(repeating: 7, count: 16 << 20)))
                let reply = try await client.send(
                    .POST, "http://127.0.0.1:\(port)/audio/denoise", headers: [("Content-Type", form.contentType)],
                    body: form.data)
                #expect(reply.status == 200)
            }
        }
        #expect(hits == 1)
    }

    @Test func headOverTheSizeOrCountLimitIs431() async throws {
        _ = try await withGateway({ _ in }) { port in
            try await withTimeout(.seconds(10)) {
                let many = (0..<150).map { "X-H\($0): v\r\n" }.joined()
                let big = "X-Big: " + String(repeating: "a", count: 70 << 10) + "\r\n"
                let fine = (0..<50).map { "X-H\($0): v\r\n" }.joined()
                for (headers, status) in [(many, 431), (big, 431), (fine, 200)] {
                    try await RawHTTPConnection.with(port: port) { connection in
                        try await connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n")
                        let response = try await connection.response()
                        #expect(response?.status == status)
                        if status == 431 {
                            #expect(response?.errorCode == "headers_too_large")
                            #expect(try await connection.closed())
                        }
                    }
                }
            }
        }
    }

    @Test func connectionsOverTheCapWaitUntilOneCloses() async throws {
        final class Log: Sendable { let lines = Mutex<[String]>([]) }
        let order = Log()
        _ = try await withGateway({ $0.gateway.maxConnections = 2 }) { port in
            try await withTimeout(.seconds(10)) {
                let get = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                try await RawHTTPConnection.with(port: port) { first in
                    try await first.send(get)
                    #expect(try await first.response()?.status == 200)
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        try await RawHTTPConnection.with(port: port) { second in
                            try await second.send(get)
                            #expect(try await second.response()?.status == 200)
                            group.addTask {
                                try await RawHTTPConnection.with(port: port) { third in
                                    try await third.send(get)
                                    let status = try await third.response()?.status
                                    order.lines.withLock { $0.append("third answered \(status ?? 0)") }
                                }
                            }
                            // The third connection is not served while two are open.
                            try await Task.sleep(for: .milliseconds(500))
                            order.lines.withLock { $0.append("second closing") }
                        }
                        try await group.waitForAll()
                    }
                }
            }
        }
        #expect(order.lines.withLock { $0 } == ["second closing", "third answered 200"])
    }

    @Test func defaultsAndKeys() throws {
        let defaults = GatewaySettings()
        #expect(defaults.headerReadTimeout == .seconds(10))
        #expect(defaults.bodyIdleTimeout == .seconds(30))
        #expect(defaults.minBodyRate == 1024)
        #expect(defaults.bodyRateGracePeriod == .seconds(30))
        #expect(defaults.maxConnections == 4096)
        #expect(defaults.maxHeaderBytes == 64 << 10)
        #expect(defaults.maxHeaderCount == 100)
        let yaml = """
            gateway: {headerReadTimeout: 5s, minBodyRate: 2KiB, maxConnections: 10, maxHeaderCount: 0}
            backends: {a: {url: "http://127.0.0.1:1"}}
            """
        let environment = ["SYNAPSE_GATEWAY_BODY_IDLE_TIMEOUT": "7s", "SYNAPSE_GATEWAY_MAX_HEADER_BYTES": "32KiB"]
        let outcome = ConfigLoader(environment: environment).load(yaml: yaml)
        #expect(outcome.errors.map(\.keyPath) == ["gateway.maxHeaderCount"])
        let fixed = ConfigLoader(environment: environment).load(yaml: yaml.replacingOccurrences(of: "maxHeaderCount: 0", with: "maxHeaderCount: 50"))
        let config = try #require(fixed.config)
        #expect(config.gateway.headerReadTimeout == .seconds(5))
        #expect(config.gateway.bodyIdleTimeout == .seconds(7))
        #expect(config.gateway.minBodyRate == 2048)
        #expect(config.gateway.maxConnections == 10)
        #expect(config.gateway.maxHeaderBytes == 32 << 10)
        #expect(config.gateway.maxHeaderCount == 50)
    }
}
