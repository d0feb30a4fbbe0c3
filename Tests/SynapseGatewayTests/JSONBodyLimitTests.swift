import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOHTTP1
import SynapseCore
import Synchronization
import Testing

@testable import SynapseGateway

/// JSON bodies are bounded: the gateway's own routes by `gateway.maxJSONBodySize` (1 MiB), the
/// pass-through routes by `gateway.maxJSONPassThroughSize` (32 MiB); over → 413 `payload_too_large`,
/// before the body is read when its length is declared, at the limit when it is chunked.
@Suite struct JSONBodyLimitTests {
    /// A gateway whose backends count the requests they receive; `body` gets the gateway's port.
    func withCountingGateway(
        _ configure: @escaping @Sendable (inout SynapseConfig) -> Void = { _ in },
        _ body: @Sendable (Int) async throws -> Void
    ) async throws -> Int {
        let hits = Mutex(0)
        try await Harness.withUpstream({ router in
            for path in ["/v1/embeddings", "/v1/chat/completions", "/tts", "/v1/audio/speech", "/models/load"] {
                router.post(RouterPath(path)) { _, _ -> Response in
                    hits.withLock { $0 += 1 }
                    return Response(status: .ok)
                }
            }
        }) { port in
            let config = Harness.config(["llama-embed": port, "llama-router": port, "chatterbox-tts": port], configure: configure)
            try await Harness.withGateway(config) { url in try await body(Int(url.split(separator: ":").last!)!) }
        }
        return hits.withLock { $0 }
    }

    static func head(_ method: String, _ path: String, length: Int) -> String {
        "\(method) \(path) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(length)\r\n\r\n"
    }

    @Test func ttsBodyOverOneMebibyteIs413NotA500() async throws {
        let hits = try await withCountingGateway { port in
            try await Harness.withClient { client in
                let text = String(repeating: "a", count: (1 << 20) + 10)
                let reply = try await client.send(
                    .POST, "http://127.0.0.1:\(port)/tts/synthesize", headers: [("Content-Type", "application/json")],
                    body: Data("{\"text\":\"\(text)\"}".utf8))
                #expect(reply.status == 413)
                #expect(reply.errorCode == "payload_too_large")
                #expect((reply.json?["error"] as? [String: Any])?["message"] as? String == "Request body exceeds the limit of 1MiB")
            }
        }
        #expect(hits == 0)
    }

    @Test(arguments: [
        ("POST", "/tts/synthesize"), ("POST", "/tts/stream"), ("POST", "/tts/interpolate"), ("POST", "/models/load"),
        ("POST", "/v1/embeddings"), ("POST", "/v1/chat/completions"),
    ])
    func declaredLengthOverTheLimitIsAnsweredBeforeTheBodyIsSent(method: String, path: String) async throws {
        let hits = try await withCountingGateway { port in
            try await withTimeout(.seconds(10)) {
                try await RawHTTPConnection.with(port: port) { connection in
                    // 100 MB declared, not a byte of it sent: the answer comes at once and the
                    // connection closes (the rest is never read).
                    try await connection.send(Self.head(method, path, length: 100_000_000))
                    let response = try await connection.response()
                    #expect(response?.status == 413)
                    #expect(response?.errorCode == "payload_too_large")
                    #expect(response?.headers["connection"] == "close")
                    #expect(try await connection.closed())
                }
            }
        }
        #expect(hits == 0)
    }

    @Test func chunkedBodyIsCutAtTheLimit() async throws {
        let hits = try await withCountingGateway({ $0.gateway.maxJSONBodySize = 1000 }) { port in
            try await withTimeout(.seconds(10)) {
                try await RawHTTPConnection.with(port: port) { connection in
                    try await connection.send(
                        "POST /tts/synthesize HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    // 2000 bytes in 10 chunks, and the body never ends: the gateway answers once the
                    // limit is crossed instead of waiting for the end.
                    for _ in 0..<10 { try await connection.send("c8\r\n" + String(repeating: " ", count: 200) + "\r\n") }
                    let response = try await connection.response()
                    #expect(response?.status == 413)
                    #expect(response?.errorCode == "payload_too_large")
                }
            }
        }
        #expect(hits == 0)
    }

    @Test func passThroughJSONIsCappedApartFromUploads() async throws {
        let hits = try await withCountingGateway({ $0.gateway.maxJSONPassThroughSize = 10_000 }) { port in
            try await Harness.withClient { client in
                let url = "http://127.0.0.1:\(port)"
                let json = [("Content-Type", "application/json")]
                let small = try await client.send(.POST, url + "/v1/embeddings", headers: json, body: Data("{\"input\":\"hi\"}".utf8))
                #expect(small.status == 200)
                let big = "{\"input\":\"" + String(repeating: "a", count: 20_000) + "\"}"
                let embeddings = try await client.send(.POST, url + "/v1/embeddings", headers: json, body: Data(big.utf8))
                #expect(embeddings.status == 413)
                #expect(embeddings.errorCode == "payload_too_large")
                let chat = try await client.send(.POST, url + "/v1/chat/completions", headers: json, body: Data(big.utf8))
                #expect(chat.status == 413)
            }
        }
        #expect(hits == 1)
    }

    @Test func defaultsAndKeys() throws {
        let defaults = GatewaySettings()
        #expect(defaults.maxJSONBodySize == 1 << 20)
        #expect(defaults.maxJSONPassThroughSize == 32 << 20)
        let yaml = """
            gateway: {maxJSONBodySize: 64KiB}
            backends: {a: {url: "http://127.0.0.1:1"}}
            """
        let outcome = ConfigLoader(environment: ["SYNAPSE_GATEWAY_MAX_JSON_PASS_THROUGH_SIZE": "8MiB"]).load(yaml: yaml)
        let config = try #require(outcome.config)
        #expect(config.gateway.maxJSONBodySize == 64 << 10)
        #expect(config.gateway.maxJSONPassThroughSize == 8 << 20)
        let reloaded = try #require(ConfigLoader().load(yaml: config.effectiveYAML()).config)
        #expect(reloaded.gateway == config.gateway)
    }
}
