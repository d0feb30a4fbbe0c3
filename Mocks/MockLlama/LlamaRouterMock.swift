import Foundation
import Hummingbird
import SynapseMockKit
import Synchronization

/// llama.cpp `llama-server` in router mode with `--models-max 1 --no-models-autoload`
/// (Synapse's llama-router): a model catalogue whose entries are loaded and unloaded on request,
/// and inference routes relayed to the loaded model.
///
/// Loading is asynchronous, as in the real router: `POST /models/load` answers at once and
/// `GET /models` shows `loading` until `loadTime` has passed on `MockTime.now`, then `loaded`
/// (or `unloaded` with `failed` for a model configured to crash, a split shard other than the
/// first, or while a `load_failure` fault fires). At most `modelsMax` children run: a load evicts
/// the least recently used one. See `LlamaRouterState`.
public final class LlamaRouterMock: MockServer {
    /// One model of the catalogue (a `*.gguf` in `--models-dir`).
    public struct Model: Sendable {
        /// The model id (file name without `.gguf`).
        public var id: String
        /// The `--model` path the child is started with.
        public var path: String
        /// Metadata the loaded child reports (`meta`, child `/props`).
        public var info: LlamaModelInfo
        /// When true, every load ends with the child exiting 1 (`failed: true, exit_code: 1`).
        public var failsToLoad: Bool

        public init(id: String, path: String? = nil, info: LlamaModelInfo = .qwen3_8B, failsToLoad: Bool = false) {
            self.id = id
            self.path = path ?? "/models/llm/\(id).gguf"
            self.info = info
            self.failsToLoad = failsToLoad
        }

        /// Whether a load of this model crashes: configured so, or a split shard other than the
        /// first (llama.cpp only loads a split model from its first shard).
        var crashesOnLoad: Bool {
            failsToLoad || (LlamaSplitName(id).map { $0.part != 1 } ?? false)
        }
    }

    /// Catalogue and timings.
    public struct Configuration: Sendable {
        /// The models, in listing order. Default: `Qwen3-8B-Q4_K_M`, `Qwen2.5-Coder-7B-Instruct-Q4_K_M`.
        public var models: [Model]
        /// Router flags every child inherits (shown in `status.args`). Default Synapse's, with `--ctx-size 16384`.
        public var childArgs: [String]
        /// Options written into each model's `preset` after `model = …`, e.g. `ctx-size = 16384`.
        public var presetOptions: [(String, String)]
        /// How long a load takes (mock time). Default 2 s.
        public var loadTime: Duration
        /// How long an unloaded child keeps being reported `loaded` while it exits. Default 0.
        public var stopTime: Duration
        /// `--models-autoload`; Synapse runs with it off. Default false.
        public var autoload: Bool
        /// `--models-max`: how many children may run (loading or loaded) before a load evicts the
        /// least recently used one; 0 = no limit. Reported as `/props` `max_instances` (the router
        /// keeps `--models-*` flags out of the children's `status.args`). Default 1, as Synapse runs.
        public var modelsMax: Int
        /// `build_info` / `system_fingerprint`. Default `b10587-3f545bec`.
        public var buildInfo: String
        /// Token timings of the children.
        public var generation: LlamaTextGenerator.Timing

        public init(
            models: [Model] = [
                Model(id: "Qwen3-8B-Q4_K_M", info: .qwen3_8B),
                Model(id: "Qwen2.5-Coder-7B-Instruct-Q4_K_M", info: .qwenCoder7B),
            ],
            childArgs: [String] = [
                "--ctx-size", "16384", "--parallel", "1", "--batch-size", "1024", "--ubatch-size", "512", "--threads", "16",
                "--threads-batch", "16", "--sleep-idle-seconds", "600", "--metrics",
            ],
            presetOptions: [(String, String)] = [("ctx-size", "16384")],
            loadTime: Duration = .seconds(2),
            stopTime: Duration = .zero,
            autoload: Bool = false,
            modelsMax: Int = 1,
            buildInfo: String = "b10587-3f545bec",
            generation: LlamaTextGenerator.Timing = .init()
        ) {
            self.models = models
            self.childArgs = childArgs
            self.presetOptions = presetOptions
            self.loadTime = loadTime
            self.stopTime = stopTime
            self.autoload = autoload
            self.modelsMax = modelsMax
            self.buildInfo = buildInfo
            self.generation = generation
        }

        /// The router captured in `Fixtures/transcripts/llama-server` (`tiny-chat-a`, `tiny-chat-b`).
        public static let transcripts = Configuration(
            models: ["tiny-chat-a", "tiny-chat-b"].map { Model(id: $0, path: "models/\($0).gguf", info: .tinyTranscriptModel) },
            childArgs: ["--threads", "2"],
            presetOptions: [("threads", "2")]
        )
    }

    public let configuration: Configuration
    public let time: MockTime
    let state: Mutex<LlamaRouterState>

    public init(configuration: Configuration = .init(), time: MockTime = .system) {
        self.configuration = configuration
        self.time = time
        self.state = Mutex(LlamaRouterState(modelIDs: configuration.models.map(\.id)))
    }

    public var name: String { "llama-router" }
    public var backendType: String { "openai-compatible" }
    public var healthPath: String { "/health" }
    public var serverHeader: String? { "llama.cpp" }

    /// Unloads everything, as after a restart.
    public func reset() async {
        let fresh = LlamaRouterState(modelIDs: configuration.models.map(\.id))
        state.withLock { $0 = fresh }
    }

    public func errorResponse(status: HTTPResponse.Status, message: String) -> Response {
        LlamaResponse.error(status, message)
    }

    /// The `status.value` of a model now (`unloaded`, `loading`, `loaded`), nil if unknown.
    public func status(of id: String) -> String? {
        guard model(id) != nil else { return nil }
        return settled { $0.statusValue(id) }
    }

    public func addRoutes(to router: Router<MockRequestContext>) {
        // The router is ready as soon as it listens: it never answers `Loading model`.
        router.add(middleware: LlamaHTTPMiddleware { false })
        router.get("/health") { _, _ in LlamaResponse.healthOK() }
        router.get("/v1/health") { _, _ in LlamaResponse.healthOK() }
        router.get("/models") { [self] _, _ in LlamaResponse.json(modelsList()) }
        router.get("/v1/models") { [self] _, _ in LlamaResponse.json(modelsList()) }
        router.get("/props") { [self] request, _ in props(model: request.uri.queryParameters["model"].map(String.init)) }
        router.get("/models/sse") { [self] _, context in modelEvents(channel: context.channel) }
        router.post("/models/load") { [self] request, context in try await load(request, context: context) }
        router.post("/models/unload") { [self] request, context in try await unload(request, context: context) }
        for path in ["/v1/chat/completions", "/chat/completions", "/v1/completions", "/completions", "/v1/embeddings", "/embeddings"] {
            router.post(RouterPath(path)) { [self] request, context in try await proxied(request, context: context, path: path) }
        }
    }

    // MARK: State access

    func model(_ id: String) -> Model? {
        configuration.models.first { $0.id == id }
    }

    /// Reads or changes the state after settling the transitions that are due.
    func settled<T>(_ body: (inout LlamaRouterState) -> T) -> T {
        let now = time.now()
        return state.withLock { state in
            state.settle(now: now)
            return body(&state)
        }
    }

    /// A stable, plausible ephemeral port for a model's child.
    func childPort(_ id: String) -> Int {
        32768 + Int(LlamaEmbedder.fnv1a(id) % 28000)
    }
}
