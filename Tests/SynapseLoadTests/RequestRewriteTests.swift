import Foundation
import NIOHTTP1
import SynapseHAR
import Testing

@testable import SynapseLoad

@Suite struct RequestRewriteTests {
    @Test func parsesTargetsWithPortAndPrefix() throws {
        #expect(try TargetURL.parse("http://127.0.0.1:8080") == TargetURL(host: "127.0.0.1", port: 8080))
        #expect(try TargetURL.parse("http://lb/synapse/") == TargetURL(host: "lb", port: 80, pathPrefix: "/synapse"))
        #expect(try TargetURL.parse("http://[::1]:9000").hostHeader == "[::1]:9000")
        #expect(try TargetURL.parse("http://lb").hostHeader == "lb")
    }

    @Test(arguments: ["https://lb:443", "lb:80", "http://:80", "http://lb:99999", "http://lb/x?y=1"])
    func rejectsUnusableTargets(_ text: String) {
        #expect(throws: LoadError.self) { try TargetURL.parse(text) }
    }

    @Test func parsesHeaderArguments() throws {
        let header = try RequestRewrite.parseHeader("X-Tenant:  blue ")
        #expect(header.name == "X-Tenant" && header.value == "blue")
        #expect(throws: LoadError.self) { try RequestRewrite.parseHeader("no colon") }
        #expect(throws: LoadError.self) { try RequestRewrite.parseHeader("Bad Name: x") }
    }

    @Test func rewritesHostPrefixAndCredentialsAndDropsRedactedHeaders() async throws {
        try await withTemporaryFolder { folder in
            let path = try writeHAR(
                [
                    TestEntry(
                        method: "POST", url: "http://gw.example:8000/v1/embeddings?x=1",
                        headers: [("Authorization", "[REDACTED]"), ("X-Trace", "abc"), ("Content-Type", "application/json"), ("Host", "gw.example")],
                        text: "{\"input\":\"hi\"}")
                ], in: folder)
            var rewrite = RequestRewrite(target: try TargetURL.parse("http://127.0.0.1:9999/base"))
            rewrite.headers = [("X-Trace", "override")]
            rewrite.setAPIKey("sk-test")
            let (requests, skipped) = rewrite.requests(from: try HARArchive.load(path).exchanges)
            #expect(skipped == 0)
            let head = try #require(requests.first).head
            #expect(head.uri == "/base/v1/embeddings?x=1")
            #expect(head.headers["Host"] == ["127.0.0.1:9999"])
            #expect(head.headers["Authorization"] == ["Bearer sk-test"])
            #expect(head.headers["X-Trace"] == ["override"])
            #expect(head.headers["Content-Length"] == ["14"])
            #expect(requests.first?.route == "POST /v1/embeddings")
        }
    }

    @Test func upstreamPathsAndFiltersSelectEntriesForOneBackend() async throws {
        try await withTemporaryFolder { folder in
            let path = try writeHAR(
                [
                    TestEntry(offsetMs: 0, url: "http://gw/v1/models"),
                    TestEntry(offsetMs: 100, method: "POST", url: "http://gw/v1/embeddings", text: "{}", backend: "llama-embed", upstreamPath: "/embedding"),
                    TestEntry(offsetMs: 250, method: "POST", url: "http://gw/tts/synthesize", text: "{}", backend: "chatterbox-tts", upstreamPath: "/tts"),
                ], in: folder)
            let exchanges = try HARArchive.load(path).exchanges
            var rewrite = RequestRewrite(target: try TargetURL.parse("http://127.0.0.1:9"))
            rewrite.useUpstreamPaths = true
            rewrite.onlyBackend = "llama-embed"
            let (requests, skipped) = rewrite.requests(from: exchanges)
            #expect(requests.map(\.head.uri) == ["/embedding"])
            #expect(requests.first?.offset == .zero)
            #expect(skipped == 2)

            var byRoute = RequestRewrite(target: try TargetURL.parse("http://127.0.0.1:9"))
            byRoute.routePrefixes = ["/v1/"]
            #expect(byRoute.requests(from: exchanges).requests.map(\.head.uri) == ["/v1/models", "/v1/embeddings"])
        }
    }
}
