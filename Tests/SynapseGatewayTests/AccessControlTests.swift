import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOHTTP1
import SynapseCore
import Testing

@testable import SynapseGateway

/// API keys, the admin token, cross-site refusal with the gateway's own CORS, and JSON content
/// types, against a live gateway in front of an echoing backend.
@Suite struct AccessControlTests {
    static let json = [("Content-Type", "application/json")]
    static let body = Data(#"{"input":"hello"}"#.utf8)

    /// A gateway whose `llama-embed` echoes `/v1/embeddings`, configured by `configure`.
    static func withEchoGateway(
        _ configure: @escaping @Sendable (inout SynapseConfig) -> Void,
        _ body: @escaping @Sendable (String, HTTPClient) async throws -> Void
    ) async throws {
        try await Harness.withUpstream({ EchoUpstream.register($0, paths: [(.post, "/v1/embeddings")]) }) { port in
            let config = Harness.config(["llama-embed": port, "llama-router": port], configure: configure)
            try await Harness.withGateway(config) { url in
                try await Harness.withClient { client in try await body(url, client) }
            }
        }
    }

    // MARK: API keys

    @Test func apiKeysAreRequiredEverywhereButTheOpenRoutes() async throws {
        try await Self.withEchoGateway({ $0.gateway.apiKeys = ["k-one", "k-two"] }) { url, client in
            let missing = try await client.send(.POST, url + "/v1/embeddings", headers: Self.json, body: Self.body)
            #expect(missing.status == 401)
            #expect(missing.errorCode == "unauthorized")
            #expect(missing.header("WWW-Authenticate") == "Bearer")
            #expect(missing.header("X-Request-ID") != nil)
            for wrong in [
                ("Authorization", "Bearer k-on"), ("Authorization", "Bearer k-one-and-more"), ("X-API-Key", "k-three"), ("Authorization", "Basic k-one"),
            ] {
                let refused = try await client.send(.POST, url + "/v1/embeddings", headers: Self.json + [wrong], body: Self.body)
                #expect(refused.status == 401, "\(wrong)")
            }
            for right in [("Authorization", "Bearer k-one"), ("Authorization", "bearer k-two"), ("X-API-Key", "k-two")] {
                let served = try await client.send(.POST, url + "/v1/embeddings", headers: Self.json + [right], body: Self.body)
                #expect(served.status == 200, "\(right)")
                let seen = (served.json?["headers"] as? [String: String]) ?? [:]
                #expect(seen["authorization"] == nil && seen["x-api-key"] == nil, "the gateway's key is not passed on to the backend")
            }
            #expect(try await client.send(.GET, url + "/v1/models").status == 401)
            #expect(try await client.send(.GET, url + "/no/such/route").status == 401, "unknown routes reveal nothing either")
            for open in ["/healthz", "/readyz", "/health", "/metrics", "/", "/docs", "/openapi.json"] {
                #expect(try await client.send(.GET, url + open).status == 200, "\(open)")
            }
        }
    }

    @Test func publicRoutesCanBeClosed() async throws {
        try await Self.withEchoGateway({
            $0.gateway.apiKeys = ["k"]
            $0.gateway.publicRoutes = []
        }) { url, client in
            let closed = try await client.send(.GET, url + "/metrics")
            #expect(closed.status == 401)
            #expect(try await client.send(.GET, url + "/health").status == 401)
            #expect(try await client.send(.GET, url + "/healthz").status == 200)
            #expect(try await client.send(.GET, url + "/metrics", headers: [("X-API-Key", "k")]).status == 200)
        }
    }

    @Test func withoutKeysEverythingStaysOpen() async throws {
        try await Self.withEchoGateway({ _ in }) { url, client in
            let open = try await client.send(.POST, url + "/v1/embeddings", headers: Self.json, body: Self.body)
            #expect(open.status == 200)
        }
    }

    // MARK: Admin

    @Test func adminNeedsItsTokenEvenFromLoopback() async throws {
        try await Self.withEchoGateway({ _ in }) { url, client in
            let refused = try await client.send(.GET, url + "/admin/breakers")
            #expect(refused.status == 403)
            #expect(refused.errorCode == "forbidden")
            #expect(try await client.send(.POST, url + "/admin/breakers/llama-embed/open").status == 403)
        }
        try await Self.withEchoGateway({
            $0.gateway.adminToken = "adm1n"
            $0.gateway.apiKeys = ["client-key"]
        }) { url, client in
            let missing = try await client.send(.GET, url + "/admin/breakers")
            #expect(missing.status == 401)
            #expect(missing.header("WWW-Authenticate") == "Bearer")
            #expect(try await client.send(.GET, url + "/admin/breakers", headers: [("Authorization", "Bearer adm1")]).status == 401)
            #expect(
                try await client.send(.GET, url + "/admin/breakers", headers: [("Authorization", "Bearer client-key")]).status == 401,
                "an API key is not the admin token")
            #expect(try await client.send(.GET, url + "/admin/breakers", headers: [("Authorization", "Bearer adm1n")]).status == 200)
        }
    }

    @Test func insecureLocalAdminServesLoopbackWithoutAToken() async throws {
        try await Self.withEchoGateway({ $0.gateway.insecureLocalAdmin = true }) { url, client in
            #expect(try await client.send(.GET, url + "/admin/breakers").status == 200)
            // Still no cross-site form POST: the issue's "any web page can open breakers".
            let forged = try await client.send(.POST, url + "/admin/breakers/llama-embed/open", headers: [("Origin", "https://evil.example")])
            #expect(forged.status == 403)
            #expect(forged.errorCode == "cross_origin_refused")
            #expect(try await client.send(.POST, url + "/admin/breakers/llama-embed/reset").status == 200)
        }
    }

    // MARK: Cross-site requests and CORS

    @Test func crossSiteStateChangingRequestsAreRefused() async throws {
        try await Self.withEchoGateway({ _ in }) { url, client in
            let byOrigin = try await client.send(.POST, url + "/v1/embeddings", headers: Self.json + [("Origin", "https://evil.example")], body: Self.body)
            #expect(byOrigin.status == 403)
            #expect(byOrigin.errorCode == "cross_origin_refused")
            let byFetchSite = try await client.send(.POST, url + "/v1/embeddings", headers: Self.json + [("Sec-Fetch-Site", "cross-site")], body: Self.body)
            #expect(byFetchSite.status == 403)
            #expect(try await client.send(.POST, url + "/v1/embeddings", headers: Self.json + [("Sec-Fetch-Site", "same-site")], body: Self.body).status == 403)
            #expect(try await client.send(.DELETE, url + "/voices/someone", headers: [("Origin", "null")]).status == 403)
            let sameOrigin = try await client.send(
                .POST, url + "/v1/embeddings",
                headers: Self.json + [("Origin", url), ("Sec-Fetch-Site", "same-origin")], body: Self.body)
            #expect(sameOrigin.status == 200, "the gateway's own pages may post")
            let read = try await client.send(.GET, url + "/health", headers: [("Origin", "https://evil.example")])
            #expect(read.status == 200, "reads are not refused; without CORS headers the page cannot see them")
            #expect(read.header("Access-Control-Allow-Origin") == nil)
        }
    }

    @Test func anAllowedOriginGetsCORSAndItsPreflightAnswered() async throws {
        let app = "https://app.example"
        try await Self.withEchoGateway({
            $0.gateway.corsAllowedOrigins = [app]
            $0.gateway.apiKeys = ["k"]
        }) { url, client in
            let preflight = try await client.send(
                .OPTIONS, url + "/v1/embeddings",
                headers: [
                    ("Origin", app), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "authorization, content-type"),
                ])
            #expect(preflight.status == 204, "answered without a key: browsers send none with a preflight")
            #expect(preflight.header("Access-Control-Allow-Origin") == app)
            #expect(preflight.header("Access-Control-Allow-Methods")?.contains("POST") == true)
            #expect(preflight.header("Access-Control-Allow-Headers") == "authorization, content-type")
            let posted = try await client.send(
                .POST, url + "/v1/embeddings",
                headers: Self.json + [
                    ("Origin", app), ("Sec-Fetch-Site", "cross-site"), ("Authorization", "Bearer k"),
                ], body: Self.body)
            #expect(posted.status == 200)
            #expect(posted.header("Access-Control-Allow-Origin") == app)
            #expect(posted.header("Vary")?.contains("Origin") == true)
            #expect(posted.header("Access-Control-Expose-Headers")?.contains("X-Request-ID") == true)
            let refusedAlsoDecorated = try await client.send(.POST, url + "/v1/embeddings", headers: Self.json + [("Origin", app)], body: Self.body)
            #expect(refusedAlsoDecorated.status == 401)
            #expect(refusedAlsoDecorated.header("Access-Control-Allow-Origin") == app, "the page can read why it was refused")

            let otherPreflight = try await client.send(
                .OPTIONS, url + "/v1/embeddings",
                headers: [
                    ("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST"),
                ])
            #expect(otherPreflight.status == 403)
            #expect(otherPreflight.header("Access-Control-Allow-Origin") == nil)
        }
    }

    // MARK: JSON content types

    @Test(arguments: [
        ("/v1/embeddings", "text/plain"), ("/v1/embeddings", "application/x-www-form-urlencoded"),
        ("/v1/chat/completions", "text/plain;charset=UTF-8"), ("/v1/chat/completions", "multipart/form-data; boundary=x"),
        ("/models/load", "application/x-www-form-urlencoded"), ("/models/unload", "text/plain"), ("/tts/synthesize", "text/plain"),
    ])
    func browserFormTypesAreRefusedOnJSONRoutes(path: String, contentType: String) async throws {
        try await Self.withEchoGateway({ _ in }) { url, client in
            let reply = try await client.send(.POST, url + path, headers: [("Content-Type", contentType)], body: Self.body)
            #expect(reply.status == 415)
            #expect(reply.errorCode == "unsupported_media_type")
        }
    }

    @Test func jsonAndNoContentTypeAreAccepted() async throws {
        try await Self.withEchoGateway({ _ in }) { url, client in
            let untyped = try await client.send(.POST, url + "/v1/embeddings", body: Self.body)
            #expect(untyped.status == 200)
            #expect(
                try await client.send(.POST, url + "/v1/embeddings", headers: [("Content-Type", "application/json; charset=utf-8")], body: Self.body).status
                    == 200)
            #expect(
                try await client.send(.POST, url + "/v1/embeddings", headers: [("Content-Type", "application/vnd.api+json")], body: Self.body).status == 200)
        }
    }

    // MARK: Secrets

    @Test func secretSetMatchesOnlyWholeSecrets() {
        let set = SecretSet(["alpha", "beta-longer-key", ""])
        #expect(set.contains("alpha"))
        #expect(set.contains("beta-longer-key"))
        #expect(!set.contains("alph"))
        #expect(!set.contains("alphaa"))
        #expect(!set.contains(""))
        #expect(SecretSet([""]).isEmpty)
    }
}
