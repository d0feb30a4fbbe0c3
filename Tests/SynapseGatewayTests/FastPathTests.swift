import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SynapseCore
import Testing

@testable import SynapseGateway

/// The fast path (`FastPath`) answers what the general path answers: each case is sent to a
/// gateway with it and to one without it, on one upstream, and the answers are compared byte for
/// byte but for what differs by nature (`Date`, the overhead figure). The fast path's own counter
/// proves which path answered.
@Suite struct FastPathTests {
    static let key = "fast-key"
    static let requestID = "req-fast-1"

    /// The upstream's behaviour is chosen by the request's `input`.
    static func upstream(_ router: Router<BasicRequestContext>) {
        router.post("/v1/embeddings") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
            switch object?["input"] as? String {
            case "large":
                let text = "{\"data\":\"" + String(repeating: "x", count: 100_000) + "\"}"
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
            case "json-error":
                return Response(
                    status: .unprocessableContent, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"detail":"input must not be empty"}"#)))
            case "text-error":
                return Response(status: .internalServerError, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "boom")))
            case "slow":
                try await Task.sleep(for: .seconds(2))
                return Response(status: .ok)
            case "stream", "broken-stream", "late-stream":
                // Chunked (no length): relayed as it comes. A broken one ends after its first event;
                // a late one starts after longer than the idle timeout, which counts from its head.
                let input = object?["input"] as? String
                let broken = input == "broken-stream"
                if input == "late-stream" { try await Task.sleep(for: .milliseconds(500)) }
                return Response(
                    status: .ok, headers: [.contentType: "text/event-stream"],
                    body: .init { writer in
                        // The head goes out before the first event (Hummingbird flushes it on its own).
                        if input == "late-stream" { try await Task.sleep(for: .milliseconds(100)) }
                        for index in 0..<3 {
                            try await writer.write(ByteBuffer(string: "data: {\"n\":\(index)}\n\n"))
                            if broken { throw CancellationError() }
                        }
                        try await writer.finish(nil)
                    })
            default:
                // What the backend was sent, for the request side of the comparison.
                var seen: [String: String] = [:]
                for name in [
                    "authorization", "x-api-key", "x-request-id", "x-forwarded-for", "x-forwarded-proto", "content-type", "x-custom", "content-length",
                ] {
                    if let value = request.headers[HTTPField.Name(name)!] { seen[name] = value }
                }
                let data = try JSONSerialization.data(withJSONObject: ["seen": seen, "object": "list"], options: [.sortedKeys])
                return Response(
                    status: .ok, headers: [.contentType: "application/json", HTTPField.Name("X-Upstream")!: "yes", .server: "uvicorn"],
                    body: .init(byteBuffer: ByteBuffer(bytes: data)))
            }
        }
    }

    static func request(_ input: String, headers extra: [String] = []) -> String {
        let body = #"{"model":"m","input":"\#(input)"}"#
        let headers =
            [
                "POST /v1/embeddings HTTP/1.1", "Host: gateway", "Content-Type: application/json", "Authorization: Bearer \(key)",
                "X-Request-ID: \(requestID)", "X-Custom: kept", "Content-Length: \(body.utf8.count)",
            ] + extra
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + body
    }

    /// Runs `body` with a gateway that has the fast path and one that has not, on one upstream.
    static func withGateways(_ body: @Sendable (_ fast: Int, _ general: Int) async throws -> Void) async throws {
        try await Harness.withUpstream(upstream) { port in
            var withFastPath = Harness.config(["llama-embed": port]) {
                $0.gateway.apiKeys = [key]
                $0.backends[0].timeouts.total = .seconds(1)
                $0.backends[0].timeouts.idle = .milliseconds(300)
            }
            var withoutFastPath = withFastPath
            withFastPath.gateway.fastPassThrough = true
            withoutFastPath.gateway.fastPassThrough = false
            try await Harness.withGateway(withFastPath) { [withoutFastPath] fast in
                try await Harness.withGateway(withoutFastPath) { general in
                    try await body(Self.port(of: fast), Self.port(of: general))
                }
            }
        }
    }

    static func port(of url: String) -> Int { Int(url.split(separator: ":").last!)! }

    /// `synapse_fast_path_requests_total` of the gateway on `port`, for one codec or both.
    static func fastCount(_ port: Int, codec: String? = nil) async throws -> Int {
        try await RawHTTPConnection.with(port: port) { connection in
            try await connection.send("GET /metrics HTTP/1.1\r\nHost: gateway\r\n\r\n")
            let metrics = try #require(try await connection.response()).body
            let lines = metrics.split(separator: "\n").filter {
                $0.hasPrefix("synapse_fast_path_requests_total{") && (codec == nil || $0.contains("codec=\"\(codec!)\""))
            }
            return lines.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0) { $0 + Int($1) }
        }
    }

    /// Sends small requests on `connection` until one took the fast path: the first one on an event
    /// loop only starts its pool's first connection.
    static func warm(_ connection: inout RawHTTPConnection, port: Int) async throws {
        for _ in 0..<100 {
            let before = try await fastCount(port)
            try await connection.send(request("small"))
            _ = try #require(try await connection.response())
            if try await fastCount(port) > before { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the fast path never took a request")
    }

    /// A request whose head the gateway leaves to NIO's decoder (a value outside ASCII): the
    /// connection it comes on is handed over, and its later requests read by NIO.
    static let handingOver = "GET /healthz HTTP/1.1\r\nHost: gateway\r\nX-Note: café\r\n\r\n"

    /// Which reader of requests a test exercises: the gateway's own (`wire`), or NIO's (`nio`,
    /// on a connection handed over first).
    static let codecs = ["wire", "nio"]

    /// Readies `connection` for the fast path read by `codec`.
    static func prepare(_ connection: inout RawHTTPConnection, port: Int, codec: String) async throws {
        if codec == "nio" {
            try await connection.send(handingOver)
            #expect(try #require(try await connection.response()).status == 200)
        }
        try await warm(&connection, port: port)
    }

    /// The answer to `raw` on the fast path read by `codec` (asserting it took it) and on the
    /// general path.
    static func both(
        _ raw: String, fast: Int, general: Int, codec: String = "wire"
    ) async throws -> (RawHTTPConnection.Response, RawHTTPConnection.Response) {
        let fastReply = try await RawHTTPConnection.with(port: fast) { connection in
            try await prepare(&connection, port: fast, codec: codec)
            let before = try await fastCount(fast, codec: codec)
            try await connection.send(raw)
            let reply = try #require(try await connection.response())
            #expect(try await fastCount(fast, codec: codec) == before + 1, "the fast path answered, read by \(codec)")
            return reply
        }
        let generalReply = try await RawHTTPConnection.with(port: general) { connection in
            try await connection.send(raw)
            return try #require(try await connection.response())
        }
        return (fastReply, generalReply)
    }

    static func expectSame(_ fast: RawHTTPConnection.Response, _ general: RawHTTPConnection.Response, _ input: String) {
        #expect(fast.status == general.status, "\(input): status")
        #expect(fast.body == general.body, "\(input): body")
        var fastHeaders = fast.headers
        var generalHeaders = general.headers
        #expect(fast.headers["date"]?.hasSuffix(" GMT") == true, "\(input): date")
        for name in ["date", "x-synapse-overhead-ms"] {
            #expect((fastHeaders.removeValue(forKey: name) == nil) == (generalHeaders.removeValue(forKey: name) == nil), "\(input): \(name)")
        }
        #expect(fastHeaders == generalHeaders, "\(input): headers")
    }

    @Test(arguments: ["small", "large", "json-error", "text-error", "slow", "stream", "broken-stream", "late-stream"], Self.codecs)
    func answersAsTheGeneralPathDoes(input: String, codec: String) async throws {
        try await Self.withGateways { fast, general in
            let (fastReply, generalReply) = try await Self.both(Self.request(input), fast: fast, general: general, codec: codec)
            Self.expectSame(fastReply, generalReply, input)
            switch input {
            case "small":
                #expect(fastReply.status == 200)
                #expect(fastReply.headers["x-upstream"] == "yes")
                #expect(fastReply.headers["server"] == nil, "the backend's identity is not passed on")
                let seen = try #require(
                    (try JSONSerialization.jsonObject(with: Data(fastReply.body.utf8)) as? [String: Any])?["seen"] as? [String: String])
                #expect(seen["authorization"] == nil, "the gateway's own key is not forwarded")
                #expect(seen["x-request-id"] == Self.requestID)
                #expect(seen["x-forwarded-for"] == "127.0.0.1")
                #expect(seen["x-custom"] == "kept")
            case "large": #expect(fastReply.body.utf8.count == 100_011)
            case "json-error": #expect(fastReply.status == 422)
            case "text-error": #expect(fastReply.errorCode == "upstream_error")
            case "slow":
                #expect(fastReply.status == 504)
                #expect(fastReply.headers["x-synapse-attempts"] == "1")
            case "stream", "late-stream": #expect(fastReply.body == #"data: {"n":0}\#n\#ndata: {"n":1}\#n\#ndata: {"n":2}\#n\#n"#)
            case "broken-stream": #expect(fastReply.body == #"data: {"n":0}\#n\#n"#, "an event stream the backend breaks off ends cleanly")
            default: break
            }
        }
    }

    /// The gateway's own encoder of answers (`FastAnswerWriter`, for requests it read itself)
    /// writes what NIO's writes for the same answer, byte for byte: status line, field lines in
    /// order and case, framing (chunked when no length) and body.
    @Test(arguments: ["small", "large", "json-error", "text-error", "slow", "stream", "broken-stream"])
    func bothCodecsWriteTheSameAnswer(input: String) async throws {
        try await Self.withGateways { fast, _ in
            var replies: [RawHTTPConnection.Response] = []
            for codec in Self.codecs {
                replies.append(
                    try await RawHTTPConnection.with(port: fast) { connection in
                        try await Self.prepare(&connection, port: fast, codec: codec)
                        let before = try await Self.fastCount(fast, codec: codec)
                        try await connection.send(Self.request(input))
                        let reply = try #require(try await connection.response())
                        #expect(try await Self.fastCount(fast, codec: codec) == before + 1, "read by \(codec)")
                        return reply
                    })
            }
            // What differs by nature: the time, and the overhead figure.
            let masked = replies.map { reply in
                reply.headLines.map { line in
                    let name = line.split(separator: ":").first?.lowercased()
                    return name == "date" || name == "x-synapse-overhead-ms" ? String(name!) : line
                }
            }
            #expect(masked[0] == masked[1], "\(input)")
            #expect(replies[0].body == replies[1].body, "\(input)")
        }
    }

    /// `Connection: keep-alive` (httpx, so the OpenAI SDK, sends it on every request) changes
    /// nothing in HTTP/1.1: such a request takes the fast path, with the same answer.
    @Test func aKeepAliveHeaderTakesTheFastPath() async throws {
        try await Self.withGateways { fast, general in
            let raw = Self.request("small", headers: ["Connection: keep-alive"])
            let (fastReply, generalReply) = try await Self.both(raw, fast: fast, general: general)
            Self.expectSame(fastReply, generalReply, "keep-alive")
            #expect(fastReply.status == 200)
        }
    }

    /// Requests the fast path leaves to the general path get the general path's answer, and are
    /// not counted as its own.
    @Test func leavesWhatItCannotAnswerAlikeToTheGeneralPath() async throws {
        let noKey = Self.request("small").replacingOccurrences(of: "Authorization: Bearer \(Self.key)\r\n", with: "")
        let formType = Self.request("small").replacingOccurrences(of: "application/json", with: "text/plain")
        let badJSON = Self.request("small").replacingOccurrences(of: #""input":"small"}"#, with: #""input":"small"]"#)
        let cases: [(String, Int)] = [
            (noKey, 401), (formType, 415), (badJSON, 400), (Self.request("small", headers: ["Origin: http://gateway"]), 200),
            (Self.request("small", headers: ["Connection: keep-alive, X-Custom"]), 200),
        ]
        try await Self.withGateways { fast, _ in
            try await RawHTTPConnection.with(port: fast) { connection in
                try await Self.warm(&connection, port: fast)
                for (raw, status) in cases {
                    let before = try await Self.fastCount(fast)
                    try await connection.send(raw)
                    let reply = try #require(try await connection.response())
                    #expect(reply.status == status)
                    #expect(try await Self.fastCount(fast) == before, "left to the general path: \(status)")
                }
            }
        }
    }

    /// A body that arrives after its head, in a later read (httpx, so the OpenAI SDK, writes the
    /// head and the body apart), is waited for: the fast path answers, as the general path would.
    @Test func aBodyArrivingAfterItsHeadTakesTheFastPath() async throws {
        let raw = Self.request("small")
        let split = raw.range(of: "\r\n\r\n")!.upperBound
        let (head, body) = (String(raw[..<split]), String(raw[split...]))
        try await Self.withGateways { fast, general in
            let fastReply = try await RawHTTPConnection.with(port: fast) { connection in
                try await Self.warm(&connection, port: fast)
                let before = try await Self.fastCount(fast)
                try await connection.send(head)
                try await Task.sleep(for: .milliseconds(100))
                try await connection.send(body)
                let reply = try #require(try await connection.response())
                #expect(try await Self.fastCount(fast) == before + 1, "the fast path answered")
                return reply
            }
            let generalReply = try await RawHTTPConnection.with(port: general) { connection in
                try await connection.send(head)
                try await Task.sleep(for: .milliseconds(100))
                try await connection.send(body)
                return try #require(try await connection.response())
            }
            #expect(fastReply.status == 200)
            Self.expectSame(fastReply, generalReply, "split")
        }
    }

    /// A relay connection keeps one alarm, set at the deadline of the first request it carried:
    /// a later request's deadline is its own, neither that earlier one (the alarm rings half way
    /// through the slow request here, which must then wait on) nor never (the backend's answer
    /// after 2 s would be a 200).
    @Test func eachRequestTimesOutAtItsOwnDeadline() async throws {
        try await Self.withGateways { fast, _ in
            try await RawHTTPConnection.with(port: fast) { connection in
                try await Self.warm(&connection, port: fast)
                try await Task.sleep(for: .milliseconds(500))
                let before = try await Self.fastCount(fast)
                let sent = ContinuousClock.now
                try await connection.send(Self.request("slow"))
                let reply = try #require(try await connection.response())
                let waited = ContinuousClock.now - sent
                #expect(reply.status == 504)
                #expect(try await Self.fastCount(fast) == before + 1, "the fast path answered")
                #expect(waited >= .milliseconds(950) && waited < .milliseconds(1800), "the 1 s deadline, counted from this request: \(waited)")
            }
        }
    }

    /// Pipelined requests, some for the fast path and some not, are answered in order.
    @Test(.timeLimit(.minutes(1))) func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await Self.withGateways { fast, _ in
            try await RawHTTPConnection.with(port: fast) { connection in
                try await Self.warm(&connection, port: fast)
                let health = "GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n"
                try await connection.send(Self.request("small") + health + Self.request("json-error") + health + Self.request("small"))
                var statuses: [Int] = []
                for _ in 0..<5 { statuses.append(try #require(try await connection.response()).status) }
                #expect(statuses == [200, 200, 422, 200, 200])
            }
        }
    }
}

/// A client that leaves while its request waits on the backend gives everything back at once (the
/// fast path keeps reading the connection): the backend's one slot (held, the next request would
/// queue into a 503), the in-flight gauge.
@Suite struct FastPathClientLeavesTests {
    @Test func aClientLeavingMidExchangeFreesItsSlot() async throws {
        try await Harness.withUpstream(FastPathTests.upstream) { port in
            let config = Harness.config(["llama-embed": port]) {
                $0.gateway.apiKeys = [FastPathTests.key]
                $0.backends[0].limits.maxInFlight = 1
                $0.backends[0].limits.queueTimeout = .milliseconds(300)
            }
            try await Harness.withGateway(config) { url in
                let gateway = FastPathTests.port(of: url)
                try await RawHTTPConnection.with(port: gateway) { connection in
                    try await FastPathTests.warm(&connection, port: gateway)
                    let before = try await FastPathTests.fastCount(gateway)
                    try await connection.send(FastPathTests.request("slow"))
                    try await Task.sleep(for: .milliseconds(200))
                    #expect(try await FastPathTests.fastCount(gateway) == before + 1, "the slow request took the fast path")
                }
                // The client is gone; the backend is still sleeping on the request.
                try await Task.sleep(for: .milliseconds(100))
                let reply = try await RawHTTPConnection.with(port: gateway) { connection in
                    try await connection.send(FastPathTests.request("small"))
                    return try #require(try await connection.response())
                }
                #expect(reply.status == 200, "the slot was given back: \(reply.body)")
                let metrics = try await RawHTTPConnection.with(port: gateway) { connection in
                    try await connection.send("GET /metrics HTTP/1.1\r\nHost: gateway\r\n\r\n")
                    return try #require(try await connection.response()).body
                }
                #expect(metrics.contains("synapse_requests_in_flight 1.0\n"), "only the metrics request itself is in flight")
            }
        }
    }
}
