import Foundation

/// Which parts of a captured response a mock must reproduce exactly and which depend on the
/// model (or the clock) and are compared by shape only.
///
/// JSON paths use `$` for the root, `.key` for members and `[]` for any array element,
/// with `*` as a wildcard: `$.data[].status.args`, `$.segments`, `$.all_languages[].*`.
public struct TranscriptPolicy: Sendable {
    /// Object keys whose whole subtree is compared by type only, wherever they occur
    /// (generated text, ids, timestamps, timings).
    public var freeKeys: Set<String>
    /// JSON path patterns compared by type only (arrays below them may differ in length).
    public var freePaths: [String]
    /// JSON path patterns compared by value even when a free key would free them.
    public var strictPaths: [String]
    /// Response headers compared by value (lowercase); `content-type` is always compared.
    public var headers: Set<String>
    /// Header name prefixes compared by value (lowercase), e.g. `access-control-`.
    public var headerPrefixes: [String]
    /// When true, objects must list their keys in the captured order; otherwise order is not checked.
    public var strictKeyOrder: Bool

    public init(
        freeKeys: Set<String> = TranscriptPolicy.modelDependentKeys,
        freePaths: [String] = [],
        strictPaths: [String] = [],
        headers: Set<String> = TranscriptPolicy.protocolHeaders,
        headerPrefixes: [String] = ["access-control-"],
        strictKeyOrder: Bool = true
    ) {
        self.freeKeys = freeKeys
        self.freePaths = freePaths
        self.strictPaths = strictPaths
        self.headers = headers
        self.headerPrefixes = headerPrefixes
        self.strictKeyOrder = strictKeyOrder
    }

    /// Keys that hold model output or per-run values in the captured backends (as conformance.py).
    public static let modelDependentKeys: Set<String> = [
        "text", "word", "content", "reasoning_content", "start", "end", "probability", "avg_logprob",
        "compression_ratio", "no_speech_prob", "logprob", "logprobs", "top_logprobs", "language_probability",
        "detected_language", "duration", "tokens", "embedding", "id", "created", "system_fingerprint",
        "timings", "usage",
    ]

    /// Headers that are part of the protocol (not date, content-length or transfer-encoding).
    public static let protocolHeaders: Set<String> = [
        "server", "allow", "cache-control", "content-disposition", "content-encoding", "location",
        "retry-after", "vary", "www-authenticate", "x-accel-buffering",
    ]

    /// The default: model-dependent keys free, everything else exact.
    public static let `default` = TranscriptPolicy()

    /// llama.cpp: child ports (`status.args`) and `/props` `media_marker` change on every run.
    public static let llama = TranscriptPolicy(freePaths: ["$.data[].status.args", "$.media_marker"])

    /// whisper-stt: segments, words and language guesses are invented by the model.
    public static let whisper = TranscriptPolicy(freePaths: ["$.language", "$.segments", "$.words", "$.all_languages[].*"])

    /// Returns a copy with more free paths.
    public func freeing(_ paths: String...) -> TranscriptPolicy {
        var copy = self
        copy.freePaths += paths
        return copy
    }

    /// Whether a concrete path (`$.data[0].id`) is compared by type only.
    func isFree(_ path: String) -> Bool {
        let generic = path.replacingOccurrences(of: #"\[\d+\]"#, with: "[]", options: .regularExpression)
        if strictPaths.contains(where: { Self.matches(generic, pattern: $0) }) { return false }
        var last = generic
        if last.hasSuffix("[]") { last.removeLast(2) }
        if let dot = last.lastIndex(of: ".") { last = String(last[last.index(after: dot)...]) }
        return freeKeys.contains(last) || freePaths.contains { Self.matches(generic, pattern: $0) }
    }

    /// Whether a response header is compared by value.
    func compares(header name: String) -> Bool {
        headers.contains(name) || headerPrefixes.contains { name.hasPrefix($0) }
    }

    /// Glob match where `*` stands for any run of characters.
    static func matches(_ text: String, pattern: String) -> Bool {
        let parts = pattern.components(separatedBy: "*")
        guard parts.count > 1 else { return text == pattern }
        var rest = Substring(text)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for (i, part) in parts.enumerated().dropFirst() {
            if i == parts.count - 1 { return part.isEmpty || rest.hasSuffix(part) }
            guard let r = rest.range(of: part) else { return false }
            rest = rest[r.upperBound...]
        }
        return true
    }
}
