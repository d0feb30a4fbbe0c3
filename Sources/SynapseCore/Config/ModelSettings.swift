/// LLM model management (the `models:` section): which model `auto` picks, where per-model
/// profiles live, how long a chat may wait for its model to load, and the Kubernetes Deployment
/// patched when a profile changes the router's context size. Each key the original gateway had
/// keeps its `SYNAPSE_*` variable (see `EnvironmentOverrides.aliases`).
public struct ModelSettings: Sendable, Equatable {
    /// The backend that serves chat and owns the models. Default `llama-router`.
    public var router: BackendID = BackendID("llama-router")!
    /// Per-model profiles (the original's JSON file). Default `/data/voices/model-profiles.json`,
    /// on the voice volume. Env `SYNAPSE_MODEL_PROFILES_PATH`.
    public var profilesPath = "/data/voices/model-profiles.json"
    /// Model for `auto` when the user's messages carry no coding hint. Default `Qwen3-8B-Q4_K_M`.
    public var generalModel = "Qwen3-8B-Q4_K_M"
    /// Model for `auto` when they do. Default `Qwen2.5-Coder-7B-Instruct-Q4_K_M`.
    public var coderModel = "Qwen2.5-Coder-7B-Instruct-Q4_K_M"
    /// Case-insensitive regular expression over the user messages that picks the coder model.
    /// Default: the original's word list.
    public var codingHints = ModelSettings.originalCodingHints
    /// Longest wait for a model to report `loaded` before a chat fails with 504. Default 240 s
    /// (the original's); the request's own deadline bounds it too.
    public var loadTimeout: Duration = .seconds(240)
    /// Interval between `GET /models` polls while waiting for a load (when the router's
    /// `/models/sse` stream is not available). Default 1 s.
    public var pollInterval: Duration = .seconds(1)
    /// How many models the router keeps loaded at once (its `--models-max`). Default: learned
    /// from the router's `/props` (`max_instances`), 1 when it does not say.
    public var maxLoaded: Int? = nil
    public var runtime = Runtime()

    public init() {}

    /// The original gateway's `CODING_HINT_RE`.
    public static let originalCodingHints =
        #"\b(code|python|javascript|typescript|java|go|rust|sql|regex|debug|stack trace|exception|compile|refactor|unit test|algorithm|function|class|api|dockerfile|kubernetes|yaml|json|bash|shell|git|pull request|bug)\b"#

    /// Where the router's `--ctx-size` is changed when a profile asks for another
    /// `runtime_ctx_size` (the `models.runtime:` section).
    public struct Runtime: Sendable, Equatable {
        /// Namespace of the router's Deployment. Default `llm-infra`. Env `SYNAPSE_LLAMA_ROUTER_DEPLOYMENT_NAMESPACE`.
        public var namespace = "llm-infra"
        /// The Deployment. Default `llama-router`. Env `SYNAPSE_LLAMA_ROUTER_DEPLOYMENT_NAME`.
        public var deployment = "llama-router"
        /// The container whose args are patched. Default `llama-server`. Env `SYNAPSE_LLAMA_ROUTER_CONTAINER_NAME`.
        public var container = "llama-server"
        /// Longest wait for the router to show the new args. Default 300 s. Env `SYNAPSE_RUNTIME_RECONFIGURE_TIMEOUT_SECONDS`.
        public var reconfigureTimeout: Duration = .seconds(300)
        /// The Kubernetes API. Default `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT_HTTPS`
        /// (port 443 when unset), else `https://kubernetes.default.svc`, as the original.
        public var kubernetesAPI = "https://kubernetes.default.svc"
        /// The mounted service account (`token`, `ca.crt`). Default the standard in-cluster path.
        public var serviceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount"

        public init() {}
    }
}
