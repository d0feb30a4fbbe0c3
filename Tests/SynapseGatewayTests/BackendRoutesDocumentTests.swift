import SynapseCore
import Testing

@testable import SynapseGateway

/// `GET /api/backend-routes` built from the original's `backends.yaml`.
@Suite struct BackendRoutesDocumentTests {
    /// The original's `config/backends.yaml` at HEAD, verbatim (comments and the vllm block included).
    static let originalYAML = """
        # Synapse backend registry.
        # Deployed as ConfigMap and mounted at /config/backends.yaml in the gateway pod.

        backends:
          # --- LLM ---
          llama-embed:
            url: http://llama-embed.llm-infra.svc.cluster.local:8081
            type: openai-compatible
            health: /health

          llama-router:
            url: http://llama-router.llm-infra.svc.cluster.local:8082
            type: openai-compatible
            health: /health

          # vllm:
          #   url: http://vllm-inference.llm-infra.svc.cluster.local:8001
          #   type: openai-compatible
          #   health: /health

          # --- Speech + Audio ---
          chatterbox-tts:
            url: http://chatterbox-tts.llm-infra.svc.cluster.local:8004
            type: chatterbox
            health: /api/ui/initial-data

          whisper-stt:
            url: http://whisper-stt.llm-infra.svc.cluster.local:8000
            type: faster-whisper
            health: /health

          pyannote-speaker:
            url: http://pyannote-speaker.llm-infra.svc.cluster.local:8000
            type: pyannote
            health: /health

          deepfilter-audio:
            url: http://deepfilter-audio.llm-infra.svc.cluster.local:8000
            type: deepfilter
            health: /health

        routes:
          /v1/embeddings: llama-embed
          /v1/chat/completions: llama-router
          /models: llama-router
          /models/load: llama-router
          /models/unload: llama-router
          /v1/models: llama-router
          /tts/*: chatterbox-tts
          /stt/*: whisper-stt
          /speakers/*: pyannote-speaker
          /audio/*: deepfilter-audio
        """

    /// One backend's entry as the original writes it.
    static func entry(_ name: String, _ routes: [(String, String)], health: String = "/health") -> (String, JSONValue) {
        let listed = routes.map { JSONValue.obj(("method", .string($0.0)), ("path", .string($0.1))) }
        let groups: [JSONValue] = [
            .obj(("title", .string("Gateway Routes")), ("routes", .array(listed))),
            .obj(("title", .string("Ops")), ("routes", .array([.obj(("method", .string("GET")), ("path", .string(health)))]))),
        ]
        return (name, .obj(("title", .string(name)), ("groups", .array(groups))))
    }

    @Test func listsTheOriginalBackendsRoutesInConfigOrder() throws {
        let config = try #require(ConfigLoader().load(yaml: Self.originalYAML).config)
        let expected = JSONValue.object([
            Self.entry("llama-embed", [("POST", "/v1/embeddings")]),
            Self.entry(
                "llama-router",
                [
                    ("POST", "/v1/chat/completions"), ("GET", "/models"), ("POST", "/models/load"), ("POST", "/models/unload"), ("GET", "/v1/models"),
                ]),
            Self.entry("chatterbox-tts", [("POST", "/tts/*")], health: "/api/ui/initial-data"),
            Self.entry("whisper-stt", [("POST", "/stt/*")]),
            Self.entry("pyannote-speaker", [("POST", "/speakers/*")]),
            Self.entry("deepfilter-audio", [("POST", "/audio/*")]),
        ])
        let document = BackendRoutesDocument.document(for: config)
        #expect(document == expected)
        // Key order is part of the answer: the dashboard shows the backends as listed.
        #expect(document.objectValue?.map(\.0) == ["llama-embed", "llama-router", "chatterbox-tts", "whisper-stt", "pyannote-speaker", "deepfilter-audio"])
        #expect(
            document.text().hasPrefix(
                #"{"llama-embed":{"title":"llama-embed","groups":[{"title":"Gateway Routes","routes":[{"method":"POST","path":"/v1/embeddings"}]}"#))
    }

    @Test(arguments: [
        ("/v1/chat/completions", "POST"), ("/v1/embeddings", "POST"), ("/models/load", "POST"), ("/models/unload", "POST"),
        ("/tts/*", "POST"), ("/stt/*", "POST"), ("/speakers/*", "POST"), ("/audio/*", "POST"),
        ("/models", "GET"), ("/v1/models", "GET"), ("/tts", "GET"), ("/health", "GET"), ("/voices/*", "GET"),
    ])
    func methodFollowsThePathPrefix(path: String, method: String) {
        #expect(BackendRoutesDocument.method(for: path) == method)
    }

    @Test func routesToUndeclaredBackendsAreDroppedAndBackendsWithoutRoutesKeepTheirOpsGroup() throws {
        var config = SynapseConfig()
        let url = try #require(BackendURL.parse("http://127.0.0.1:1"))
        config.backends = [BackendConfig(id: BackendID("whisper-stt")!, url: url, type: "faster-whisper")]
        config.routes = [RouteRule(pattern: "/tts/*", backend: BackendID("chatterbox-tts")!)]
        let expected = JSONValue.object([Self.entry("whisper-stt", [])])
        #expect(BackendRoutesDocument.document(for: config) == expected)
    }
}
