import Foundation
import Hummingbird
import SynapseCore
import SynapseMockKit
import Synchronization

/// llama.cpp `llama-server --embedding` with one embedding model (Synapse's llama-embed).
///
/// Routes: `/health`, `/v1/health`, `/models`, `/v1/models`, `/props`, `POST /v1/embeddings`,
/// `/embeddings` and `/embedding` (native shape), plus chat and completions (the real server
/// answers them too). During the configured start-up phase every route answers 503 `Loading model`.
public final class LlamaEmbedMock: MockServer {
    /// The served model and server behaviour.
    public struct Configuration: Sendable {
        /// Model name reported in `/v1/models`, `/props` and as the default `model` of answers.
        /// Default `mxbai-embed-large-v1_fp16`.
        public var modelName: String
        /// Model metadata reported in `/v1/models` and `/props`.
        public var model: LlamaModelInfo
        /// Physical batch size: an input longer than this many tokens gets the real 500. Default 512.
        public var batchSize: Int
        /// How long after start (or `reset()`) the server answers 503 `Loading model`, measured on
        /// `MockTime.now`. Default 0 (ready at once).
        public var startupTime: Duration
        /// `build_info` / `system_fingerprint`. Default `b10587-3f545bec` (the transcripts' build).
        public var buildInfo: String
        /// Chat timings (the embedding server answers chat too).
        public var generation: LlamaTextGenerator.Timing

        public init(
            modelName: String = "mxbai-embed-large-v1_fp16",
            model: LlamaModelInfo = .mxbaiEmbedLarge,
            batchSize: Int = 512,
            startupTime: Duration = .zero,
            buildInfo: String = "b10587-3f545bec",
            generation: LlamaTextGenerator.Timing = .init()
        ) {
            self.modelName = modelName
            self.model = model
            self.batchSize = batchSize
            self.startupTime = startupTime
            self.buildInfo = buildInfo
            self.generation = generation
        }

        /// The server captured in `Fixtures/transcripts/llama-server` (`embed/tiny-embed.gguf`, 64 dimensions).
        public static let transcripts = Configuration(modelName: "embed/tiny-embed.gguf", model: .tinyTranscriptModel)
    }

    public let configuration: Configuration
    public let time: MockTime
    let embedder: LlamaEmbedder
    let responseCache = LlamaResponseCache()
    /// When the current start-up phase began (init or `reset()`).
    private let startedAt: Mutex<Date>

    public init(configuration: Configuration = .init(), time: MockTime = .system) {
        self.configuration = configuration
        self.time = time
        self.embedder = LlamaEmbedder(dimensions: configuration.model.embeddingLength)
        self.startedAt = Mutex(time.now())
    }

    public var name: String { "llama-embed" }
    public var backendType: String { "openai-compatible" }
    public var healthPath: String { "/health" }
    public var serverHeader: String? { "llama.cpp" }

    /// True while the model is still "loading" after start or reset.
    public var isLoading: Bool {
        let start = startedAt.withLock { $0 }
        return time.now().timeIntervalSince(start) < configuration.startupTime.seconds
    }

    /// Starts a new start-up phase, as after a restart.
    public func reset() async {
        let now = time.now()
        startedAt.withLock { $0 = now }
    }

    public func errorResponse(status: HTTPResponse.Status, message: String) -> Response {
        LlamaResponse.error(status, message)
    }

    public func addRoutes(to router: Router<MockRequestContext>) {
        router.add(middleware: LlamaHTTPMiddleware { [weak self] in self?.isLoading ?? false })
        router.get("/health") { _, _ in LlamaResponse.healthOK() }
        router.get("/v1/health") { _, _ in LlamaResponse.healthOK() }
        router.get("/models") { [self] _, _ in LlamaResponse.json(modelsList()) }
        router.get("/v1/models") { [self] _, _ in LlamaResponse.json(modelsList()) }
        router.get("/props") { [self] _, _ in
            LlamaResponse.json(configuration.model.props(alias: configuration.modelName, buildInfo: configuration.buildInfo))
        }
        router.post("/v1/embeddings") { [self] request, context in try await embeddings(request, context: context, native: false) }
        router.post("/embeddings") { [self] request, context in try await embeddings(request, context: context, native: true) }
        router.post("/embedding") { [self] request, context in try await embeddings(request, context: context, native: true) }
        let chat = LlamaChatEndpoint(
            modelAlias: configuration.modelName, buildInfo: configuration.buildInfo, timing: configuration.generation, time: time, relayed: false)
        router.post("/v1/chat/completions") { request, context in try await chat.chatCompletions(request, context: context) }
        router.post("/chat/completions") { request, context in try await chat.chatCompletions(request, context: context) }
        router.post("/v1/completions") { request, context in try await chat.completions(request, context: context) }
        router.post("/completions") { request, context in try await chat.completions(request, context: context) }
    }

    /// `/v1/models`: an Ollama-style `models` list, then the OpenAI-style `data` list.
    func modelsList() -> JSONValue {
        let name = JSONValue.string(configuration.modelName)
        let ollama = JSONValue.obj(
            ("name", name), ("model", name), ("modified_at", .string("")), ("size", .string("")), ("digest", .string("")),
            ("type", .string("model")), ("description", .string("")), ("tags", .array([.string("")])),
            ("capabilities", .array([.string("completion")])), ("parameters", .string("")),
            (
                "details",
                .obj(
                    ("parent_model", .string("")), ("format", .string("gguf")), ("family", .string("")),
                    ("families", .array([.string("")])), ("parameter_size", .string("")), ("quantization_level", .string(""))
                )
            )
        )
        let openAI = JSONValue.obj(
            ("id", name), ("aliases", .array([name])), ("tags", .array([])), ("object", .string("model")),
            ("created", .int(Int(time.now().timeIntervalSince1970))), ("owned_by", .string("llamacpp")),
            ("meta", configuration.model.meta)
        )
        return .obj(("models", .array([ollama])), ("object", .string("list")), ("data", .array([openAI])))
    }
}
