/// The whole validated, immutable configuration. Components receive only their slice of it.
///
/// Defaults live in the initialisers, so a YAML file only states what differs; the original
/// gateway's `backends.yaml` (`backends` + `routes` only) is a complete configuration.
public struct SynapseConfig: Sendable, Equatable {
    /// Schema version of the file. Default 1 (the only version so far).
    public var version: Int = 1
    public var gateway = GatewaySettings()
    /// Backends in file order.
    public var backends: [BackendConfig] = []
    /// Route rules in file order; `RouteRule.mostSpecific` picks among them.
    public var routes: [RouteRule] = []
    /// Total deadlines per timeout profile (`llm: 300s`…); see `TimeoutProfile`.
    public var timeoutProfiles: [TimeoutProfile: Duration] = TimeoutProfile.defaultDeadlines
    /// LLM model management: auto choice, profiles, load-before-chat.
    public var models = ModelSettings()
    /// The original's live log feed (`GET /events/terminal`).
    public var terminalFeed = TerminalFeedSettings()
    /// Span export (`OTEL_*` variables only, no file section: the variables every collector setup
    /// already sets).
    public var tracing = TracingSettings()

    public init() {}

    public func backend(_ id: BackendID) -> BackendConfig? {
        backends.first { $0.id == id }
    }

    /// Moves the voice library to `directory`, and the model profiles with it when they are at
    /// the default place (`model-profiles.json` in the voice volume, as the original keeps them).
    /// For `synapse dev`, tests and scenarios, which keep their data in a folder of their own.
    public mutating func placeVoiceLibrary(at directory: String) {
        gateway.voiceLibraryDir = directory
        if models.profilesPath == ModelSettings().profilesPath {
            models.profilesPath = (directory.hasSuffix("/") ? directory : directory + "/") + "model-profiles.json"
        }
    }

    /// The backend serving a client path according to the `routes` rules, if any rule matches.
    public func routedBackend(forPath path: String) -> RouteRule? {
        RouteRule.mostSpecific(routes, matching: path)
    }

    /// The rule serving a client path: the configuration's own (`routedBackend(forPath:)`), else
    /// the original's table (`RouteRule.originalDefaults`), so a file with backends alone works.
    public func servingRule(forPath path: String) -> RouteRule? {
        routedBackend(forPath: path) ?? RouteRule.mostSpecific(RouteRule.originalDefaults, matching: path)
    }
}

/// Settings of the gateway process itself (the `gateway:` section).
public struct GatewaySettings: Sendable, Equatable {
    /// Address to listen on. Default `0.0.0.0`.
    public var host = "0.0.0.0"
    /// Port to listen on. Default 8000.
    public var port = 8000
    /// Root of the voice library. Default `/data/voices` (the original's). Env `SYNAPSE_VOICE_LIBRARY_DIR`.
    public var voiceLibraryDir = "/data/voices"
    /// `trace`, `debug`, `info`, `notice`, `warning`, `error`, `critical`. Default `info`. Env `SYNAPSE_LOG_LEVEL`.
    public var logLevel = "info"
    /// After SIGTERM/SIGINT and the drain window, how long in-flight requests may still run
    /// before they are cut. Default unset: the longest deadline configured (see
    /// `effectiveShutdownGracePeriod`), so no request is cut before its own deadline.
    public var shutdownGracePeriod: Duration? = nil
    /// After SIGTERM/SIGINT, how long the listener keeps serving (new requests too) while
    /// `/readyz` answers 503, so the ingress stops routing here first. Default 5 s.
    public var drainWindow: Duration = .seconds(5)
    /// Bound on each backend health probe made by `GET /health`. Default 2 s.
    public var healthProbeTimeout: Duration = .seconds(2)
    /// Largest request body accepted (413 above). Default 2 GiB.
    public var maxRequestBodySize = 2 << 30
    /// A client that sends nothing for this long (headers or body) is disconnected. Default 60 s.
    public var clientIdleTimeout: Duration = .seconds(60)
    /// Largest JSON body of the gateway's own routes (`/tts/*`, `/models/*`, …); 413 above. Default 1 MiB.
    public var maxJSONBodySize = 1 << 20
    /// Largest JSON body forwarded on pass-through routes (`/v1/embeddings`, chat); 413 above. Default 32 MiB.
    public var maxJSONPassThroughSize = 32 << 20
    /// Time allowed to receive a request's whole head, from its first byte; 408 above. Default 10 s.
    public var headerReadTimeout: Duration = .seconds(10)
    /// Longest silence while a request body is being read; 408 above. Default 30 s.
    public var bodyIdleTimeout: Duration = .seconds(30)
    /// Slowest average body rate accepted, in bytes per second, once `bodyRateGracePeriod` has passed; 408 below. Default 1 KiB/s.
    public var minBodyRate = 1 << 10
    /// Time a body may take before `minBodyRate` applies. Default 30 s.
    public var bodyRateGracePeriod: Duration = .seconds(30)
    /// Most open client connections; above it the gateway stops accepting until one closes. Default 4096.
    public var maxConnections = 4096
    /// Largest request head (all header lines); 431 above. Default 64 KiB.
    public var maxHeaderBytes = 64 << 10
    /// Most header fields in a request; 431 above. Default 100.
    public var maxHeaderCount = 100
    /// Most parts in a multipart form the gateway reads itself (voice uploads); 413 above. Default 32.
    public var maxFormFields = 32
    /// Largest form part that is not a file, in such a form; 413 above. Default 64 KiB.
    public var maxFormFieldSize = 64 << 10
    /// Bearer token for the admin API; when unset the admin API only answers loopback clients. Secret.
    public var adminToken: String? = nil
    /// Client API keys (`Authorization: Bearer KEY` or `X-API-Key: KEY`); when any is set, every
    /// route but the open ones answers 401 without one. Default none. Env `SYNAPSE_API_KEYS`. Secret.
    public var apiKeys: [String] = []
    /// Paths served without an API key besides `/healthz`, `/readyz` and the pages. Default
    /// `/health`, `/metrics`.
    public var publicRoutes: [String] = ["/health", "/metrics"]
    /// Browser origins (`https://app.example`) allowed to call the gateway cross-site: CORS
    /// answers for them, and their state-changing requests are not refused. Default none.
    public var corsAllowedOrigins: [String] = []
    /// Peers whose `X-Forwarded-*` headers are believed (an ingress); from any other peer they
    /// are replaced. Default none.
    public var trustedProxies: [IPRange] = []
    /// Serves the admin API to loopback clients without the admin token. Not a file key: the
    /// `--insecure-local-admin` flag, `synapse dev` and in-process scenarios set it. Default false.
    public var insecureLocalAdmin = false
    /// Serves the plain JSON pass-through routes (`/v1/embeddings`) on the event loop without a
    /// task when nothing about the request needs more (`FastPath`); everything else takes the
    /// general path. Not a file key: `synapse serve --no-fast-path` and tests turn it off to
    /// compare. Default true.
    public var fastPassThrough = true
    /// This replica's name in the terminal feed's events. Default `$HOSTNAME`, else
    /// `synapse-gateway`, as the original. Env `SYNAPSE_INSTANCE_ID`.
    public var instanceID = "synapse-gateway"
    /// The listener's certificate and key (`tls: {certFile, keyFile}`, or `serve --tls-cert/--tls-key`):
    /// HTTPS, with HTTP/2 offered by ALPN. Re-read on every reload. Nil: plain HTTP.
    public var tls: TLSFiles? = nil
    /// Record every sampled exchange as HAR into a folder; nil (the default) records nothing. Not
    /// a file key yet: the `--record` flags and `POST /admin/recording` set it.
    public var recording: RecordingSettings? = nil

    public init() {}
}

/// One backend (an entry of the `backends:` map).
public struct BackendConfig: Sendable, Equatable {
    public var id: BackendID
    /// Base URL, e.g. `http://llama-embed.llm-infra.svc.cluster.local:8081`.
    public var url: BackendURL
    /// Free-form kind from the original file (`openai-compatible`, `chatterbox`, `faster-whisper`…).
    /// `openai-compatible` backends are aggregated by `GET /v1/models`.
    public var type: String
    /// Path probed by `GET /health`. Default `/health`.
    public var health = "/health"
    /// Timeout profile; when unset it is derived from the routes that use the backend.
    public var timeoutProfile: TimeoutProfile? = nil
    public var timeouts = Timeouts()
    public var breaker = BreakerSettings()
    public var retry = RetrySettings()
    public var limits = Limits()
    /// For an `https` backend: the CAs to trust instead of the system's, and a client
    /// certificate for mutual TLS. Empty: the system's CAs, no client certificate.
    public var tls = TLSFiles()

    public init(id: BackendID, url: BackendURL, type: String) {
        self.id = id
        self.url = url
        self.type = type
    }

    public var isOpenAICompatible: Bool { type == "openai-compatible" }

    /// Per-backend timeouts besides the profile's total deadline.
    public struct Timeouts: Sendable, Equatable {
        /// Overrides the profile's total deadline for this backend. Default: the profile's.
        public var total: Duration? = nil
        /// Time allowed to open a connection. Default 5 s.
        public var connect: Duration = .seconds(5)
        /// Longest silence between two chunks of a streamed response. Default 60 s.
        public var idle: Duration = .seconds(60)
        public init() {}
    }

    /// Circuit breaker (failure ejection) settings. The `breaker:` key.
    public struct BreakerSettings: Sendable, Equatable {
        /// Consecutive connection failures that open the breaker. Default 5.
        public var failureThreshold = 5
        /// How long the breaker stays open before one probe is let through. Default 30 s.
        public var openFor: Duration = .seconds(30)
        /// HTTP statuses that also count as failures (only 502, 503, 504 allowed). Default none.
        public var countStatuses: [Int] = []
        public init() {}
    }

    /// Retry settings (connection failures only). The `retry:` key.
    public struct RetrySettings: Sendable, Equatable {
        /// Delay before each retry; its length is the number of retries. Default 500ms, 1s, 2s.
        public var delays: [Duration] = [.milliseconds(500), .seconds(1), .seconds(2)]
        /// Request bodies up to this size are kept in memory for a retry; larger ones are spooled
        /// to a temporary file. Default 1 MiB.
        public var memoryBufferLimit = 1 << 20
        public init() {}
    }

    /// Concurrency and size limits. The `limits:` key (kept apart from `breaker`, as Envoy does).
    public struct Limits: Sendable, Equatable {
        /// Largest request body for this backend; default the gateway's `maxRequestBodySize`.
        public var maxRequestBodySize: Int? = nil
        /// Most requests waiting for this backend's answer at once; more queue. Default 256.
        public var maxInFlight = 256
        /// Longest wait in the queue (at most `maxInFlight` requests) before 503 `backend_saturated`. Default 1 s.
        public var queueTimeout: Duration = .seconds(1)
        public init() {}
    }
}

/// A backend's base URL, split once at load time.
public struct BackendURL: Sendable, Equatable, CustomStringConvertible {
    public var scheme: String
    public var host: String
    public var port: Int
    /// Path prefix prepended to every backend path, without a trailing slash (usually empty).
    public var basePath: String
    /// `user:password` from the URL, kept out of logs and dumps.
    public var userInfo: String?

    public var description: String { "\(scheme)://\(host):\(port)\(basePath)" }
    /// The URL with its password replaced by `***`, for `config dump`.
    public var redacted: String {
        guard let userInfo else { return description }
        let user = userInfo.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        return "\(scheme)://\(user):***@\(host):\(port)\(basePath)"
    }

    /// Parses `http://host[:port][/base]`; nil when it is not an absolute http(s) URL with a host.
    public static func parse(_ text: String) -> BackendURL? {
        let lower = text.lowercased()
        let scheme: String
        if lower.hasPrefix("http://") { scheme = "http" } else if lower.hasPrefix("https://") { scheme = "https" } else { return nil }
        var rest = Substring(text.dropFirst(scheme.count + 3))
        var basePath = ""
        if let slash = rest.firstIndex(of: "/") {
            basePath = String(rest[slash...])
            rest = rest[..<slash]
        }
        guard !basePath.contains("?"), !basePath.contains("#") else { return nil }
        while basePath.hasSuffix("/") { basePath.removeLast() }
        var userInfo: String?
        if let at = rest.lastIndex(of: "@") {
            userInfo = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
        }
        var host = String(rest)
        var port = scheme == "https" ? 443 : 80
        if host.hasPrefix("[") {  // IPv6 literal
            guard let close = host.firstIndex(of: "]") else { return nil }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = Int(after.dropFirst()) else { return nil }
                port = p
            } else if !after.isEmpty {
                return nil
            }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            guard let p = Int(host[host.index(after: colon)...]) else { return nil }
            port = p
            host = String(host[..<colon])
        }
        guard !host.isEmpty, (1...65535).contains(port),
            host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" || $0 == ":" })
        else { return nil }
        return BackendURL(scheme: scheme, host: host, port: port, basePath: basePath, userInfo: userInfo)
    }
}
