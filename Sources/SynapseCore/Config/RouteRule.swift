/// One entry of the `routes:` map: a client path (`/v1/embeddings`) or prefix (`/tts/*`) and the
/// backend that serves it, optionally with its own timeout profile.
///
/// ```yaml
/// routes:
///   /v1/embeddings: llama-embed                      # the original's form
///   /tts/*: {backend: chatterbox-tts, timeoutProfile: tts}
/// ```
public struct RouteRule: Sendable, Equatable {
    /// As written: an exact path, or a prefix ending in `/*`.
    public var pattern: String
    public var backend: BackendID
    /// Overrides the backend's timeout profile for requests on this route.
    public var timeoutProfile: TimeoutProfile?

    public init(pattern: String, backend: BackendID, timeoutProfile: TimeoutProfile? = nil) {
        self.pattern = pattern
        self.backend = backend
        self.timeoutProfile = timeoutProfile
    }

    /// The original gateway's `routes:` table (its `backends.yaml`): which backend serves a path
    /// that the configuration's own rules leave unrouted. A config default, like the backend
    /// names in `ModelSettings`; gateway code reads backends only through the configuration.
    public static let originalDefaults: [RouteRule] = [
        ("/v1/embeddings", "llama-embed"), ("/v1/chat/completions", "llama-router"), ("/models", "llama-router"),
        ("/models/load", "llama-router"), ("/models/unload", "llama-router"), ("/v1/models", "llama-router"),
        ("/tts/*", "chatterbox-tts"), ("/stt/*", "whisper-stt"), ("/speakers/*", "pyannote-speaker"), ("/audio/*", "deepfilter-audio"),
    ].map { RouteRule(pattern: $0.0, backend: BackendID($0.1)!) }

    public var isPrefix: Bool { pattern.hasSuffix("/*") }

    /// `/tts/*` matches `/tts` and everything below `/tts/`; an exact pattern matches itself only.
    public func matches(_ path: String) -> Bool {
        guard isPrefix else { return path == pattern }
        let prefix = pattern.dropLast(2)
        return path == prefix || path.hasPrefix(prefix + "/")
    }

    /// Exact rules win over prefixes; among prefixes the longest wins.
    public static func mostSpecific(_ rules: [RouteRule], matching path: String) -> RouteRule? {
        rules.filter { $0.matches(path) }.max { a, b in
            if a.isPrefix != b.isPrefix { return a.isPrefix }
            return a.pattern.count < b.pattern.count
        }
    }
}
