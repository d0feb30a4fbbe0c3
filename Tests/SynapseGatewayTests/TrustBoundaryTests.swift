import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import SynapseCore
import Testing

@testable import SynapseGateway

/// What crosses the gateway unchecked: forwarding headers only from trusted proxies, and no
/// backend identity or CORS headers towards clients.
@Suite struct TrustBoundaryTests {
    static let forged = [
        ("Content-Type", "application/json"), ("X-Forwarded-For", "6.6.6.6"), ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Host", "evil.example"), ("X-Real-IP", "6.6.6.6"), ("Forwarded", "for=6.6.6.6"),
    ]

    static func echoed(trustedProxies: [String]) async throws -> [String: String] {
        try await Harness.withUpstream({ EchoUpstream.register($0, paths: [(.post, "/v1/embeddings")]) }) { port in
            let config = Harness.config(["llama-embed": port]) { $0.gateway.trustedProxies = trustedProxies.compactMap(IPRange.init) }
            return try await Harness.withGateway(config) { url in
                try await Harness.withClient { client in
                    let reply = try await client.send(.POST, url + "/v1/embeddings", headers: forged, body: Data(#"{"input":"x"}"#.utf8))
                    #expect(reply.status == 200)
                    return (reply.json?["headers"] as? [String: String]) ?? [:]
                }
            }
        }
    }

    @Test func forwardingHeadersFromAnUntrustedPeerAreReplaced() async throws {
        // 10.0.0.0/8 is trusted, but the test's client is 127.0.0.1.
        let seen = try await Self.echoed(trustedProxies: ["10.0.0.0/8"])
        #expect(seen["x-forwarded-for"] == "127.0.0.1")
        #expect(seen["x-forwarded-proto"] == "http")
        #expect(seen["x-forwarded-host"] == nil)
        #expect(seen["x-real-ip"] == nil)
        #expect(seen["forwarded"] == nil)
    }

    @Test func forwardingHeadersFromATrustedProxyAreKeptAndAppended() async throws {
        let seen = try await Self.echoed(trustedProxies: ["127.0.0.0/8"])
        #expect(seen["x-forwarded-for"] == "6.6.6.6, 127.0.0.1")
        #expect(seen["x-forwarded-proto"] == "https")
        #expect(seen["x-forwarded-host"] == "evil.example")
    }

    @Test func backendIdentityAndCORSHeadersDoNotReachClients() async throws {
        let identity: @Sendable (Router<BasicRequestContext>) -> Void = { router in
            router.post("/v1/embeddings") { _, _ -> Response in
                Response(
                    status: .ok,
                    headers: [
                        .contentType: "application/json", HTTPField.Name("Server")!: "llama.cpp", HTTPField.Name("X-Powered-By")!: "uvicorn",
                        .accessControlAllowOrigin: "*", HTTPField.Name("Access-Control-Allow-Credentials")!: "true", HTTPField.Name("X-Kept")!: "yes",
                    ], body: .init(byteBuffer: ByteBuffer(string: #"{"data":[]}"#)))
            }
        }
        try await Harness.withUpstream(identity) { port in
            let config = Harness.config(["llama-embed": port]) { $0.gateway.corsAllowedOrigins = ["https://app.example"] }
            try await Harness.withGateway(config) { url in
                try await Harness.withClient { client in
                    let plain = try await client.send(.POST, url + "/v1/embeddings", headers: [("Content-Type", "application/json")], body: Data("{}".utf8))
                    #expect(plain.status == 200)
                    #expect(plain.header("X-Kept") == "yes")
                    #expect(plain.header("Server") == nil)
                    #expect(plain.header("X-Powered-By") == nil)
                    #expect(plain.header("Access-Control-Allow-Origin") == nil)
                    #expect(plain.header("Access-Control-Allow-Credentials") == nil)
                    let browser = try await client.send(
                        .POST, url + "/v1/embeddings",
                        headers: [("Content-Type", "application/json"), ("Origin", "https://app.example")], body: Data("{}".utf8))
                    #expect(browser.header("Access-Control-Allow-Origin") == "https://app.example", "the gateway's own CORS, not the backend's *")
                    #expect(browser.header("Access-Control-Allow-Credentials") == nil)
                }
            }
        }
    }
}
