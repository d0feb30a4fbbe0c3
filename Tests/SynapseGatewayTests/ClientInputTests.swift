import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import SynapseCore
import Synchronization
import Testing

@testable import SynapseGateway

/// Bad client input gets a clear 4xx from the gateway itself; the backend is not contacted.
@Suite struct ClientInputTests {
    /// Runs `body` against a gateway whose every backend counts the requests it receives.
    func withCountingGateway(_ body: @Sendable (String, HTTPClient) async throws -> Void) async throws -> Int {
        let hits = Mutex(0)
        try await Harness.withUpstream({ router in
            for path in ["/v1/embeddings", "/v1/chat/completions", "/transcribe", "/convert"] {
                router.post(RouterPath(path)) { _, _ -> Response in
                    hits.withLock { $0 += 1 }
                    return Response(status: .ok)
                }
            }
        }) { port in
            let config = Harness.config(["llama-embed": port, "llama-router": port, "whisper-stt": port, "deepfilter-audio": port]) {
                $0.gateway.maxRequestBodySize = 1000
            }
            try await Harness.withGateway(config) { gateway in
                try await Harness.withClient { client in try await body(gateway, client) }
            }
        }
        return hits.withLock { $0 }
    }

    @Test func malformedEmptyOversizedAndMistypedBodiesAreRefused() async throws {
        let hits = try await withCountingGateway { gateway, client in
            let json = [("Content-Type", "application/json")]
            let malformed = try await client.send(.POST, gateway + "/v1/chat/completions", headers: json, body: Data("{\"model\":".utf8))
            #expect(malformed.status == 400)
            // The chat route answers as the original: FastAPI's detail with Python's wording.
            #expect(malformed.json?["detail"] as? String == "Invalid JSON body: Expecting value")

            let empty = try await client.send(.POST, gateway + "/v1/embeddings", headers: json, body: Data())
            #expect(empty.status == 400)
            #expect(empty.errorCode == "empty_body")

            let big = try await client.send(.POST, gateway + "/v1/embeddings", headers: json, body: Data(repeating: 0x20, count: 5000))
            #expect(big.status == 413)
            #expect(big.errorCode == "payload_too_large")

            let wrongType = try await client.send(.POST, gateway + "/stt/transcribe", headers: json, body: Data("{}".utf8))
            #expect(wrongType.status == 415)

            let noBoundary = try await client.send(.POST, gateway + "/stt/transcribe", headers: [("Content-Type", "multipart/form-data")], body: Data("x".utf8))
            #expect(noBoundary.status == 400)
            #expect(noBoundary.errorCode == "missing_boundary")

            let multipartOnJSON = try await client.send(
                .POST, gateway + "/v1/embeddings", headers: [("Content-Type", "multipart/form-data; boundary=x")], body: Data("x".utf8))
            #expect(multipartOnJSON.status == 415)
        }
        #expect(hits == 0)
    }

    @Test(arguments: ["MP4", "", "wav; rm -rf"])
    func unknownOutputFormatIsRefusedBeforeTheBackend(format: String) async throws {
        let hits = try await withCountingGateway { gateway, client in
            var form = MultipartBody()
            form.parts.append(("output_format", nil, nil, Data(format.utf8)))
            form.parts.append(("file", "a.wav", "audio/wav", Data(repeating: 7, count: 100)))
            let reply = try await client.send(.POST, gateway + "/audio/convert", headers: [("Content-Type", form.contentType)], body: form.data)
            #expect(reply.status == 400)
            #expect(reply.errorCode == "invalid_output_format")
        }
        #expect(hits == 0)
    }

    @Test func outputFormatIsCaseInsensitiveAndMayFollowTheFile() async throws {
        let hits = try await withCountingGateway { gateway, client in
            var form = MultipartBody()
            form.parts.append(("file", "a.wav", "audio/wav", Data(repeating: 7, count: 300)))
            form.parts.append(("output_format", nil, nil, Data(" FLAC ".utf8)))
            let reply = try await client.send(.POST, gateway + "/audio/convert", headers: [("Content-Type", form.contentType)], body: form.data)
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type") == "audio/flac")
            #expect(reply.header("Content-Disposition") == "attachment; filename=converted.flac")
        }
        #expect(hits == 1)
    }

    @Test func unknownPathIs404AndWrongMethodIs405WithAllow() async throws {
        _ = try await withCountingGateway { gateway, client in
            let missing = try await client.send(.GET, gateway + "/nope")
            #expect(missing.status == 404)
            #expect(missing.errorCode == "not_found")
            #expect(missing.header("X-Request-ID") != nil)
            let wrong = try await client.send(.GET, gateway + "/v1/embeddings")
            #expect(wrong.status == 405)
            #expect(wrong.header("Allow") == "POST")
            #expect(wrong.errorCode == "method_not_allowed")
        }
    }

    @Test func routesOnTheRouterKeepTheGatewaysOwnMatchingRules() async throws {
        _ = try await withCountingGateway { gateway, client in
            // Hummingbird's trie skips empty segments; an exact route still serves its own path only.
            for path in ["/healthz/", "//healthz", "/openapi.json/"] {
                let reply = try await client.send(.GET, gateway + path)
                #expect(reply.status == 404, "\(path)")
                #expect(reply.errorCode == "not_found", "\(path)")
            }
            // HEAD is not GET: 405 naming GET, as before the router.
            let head = try await client.send(.HEAD, gateway + "/healthz")
            #expect(head.status == 405 && head.header("Allow") == "GET")
            // A parameter route: a wrong method is 405 with the route's methods.
            let voice = try await client.send(.PATCH, gateway + "/voices/abc")
            #expect(voice.status == 405 && voice.header("Allow") == "DELETE, GET")
            // A parameter segment still takes a value that is also an exact route's segment.
            let shadowed = try await client.send(.GET, gateway + "/models/unload/schema")
            #expect(shadowed.status == 404 && String(decoding: shadowed.body, as: UTF8.self) == #"{"detail":"Model 'unload' not found"}"#)
            // FastAPI's wording under /models.
            let models = try await client.send(.GET, gateway + "/models/unload")
            #expect(models.status == 405 && String(decoding: models.body, as: UTF8.self) == #"{"detail":"Method Not Allowed"}"#)
        }
    }
}
