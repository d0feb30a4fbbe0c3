import Foundation

/// Where a recorded body goes: inline in the HAR file, or a body file referenced by `_file`.
///
/// | body | recorded as |
/// |---|---|
/// | textual media type (`text/*`, JSON, XML, form-urlencoded, NDJSON; none given), valid UTF-8, ≤ `maxInlineSize` | inline `text` |
/// | multipart | the raw body as a file (replay sends those bytes with the original `Content-Type`), plus `params` |
/// | anything else (audio, binary, larger text) | a file, `bodies/<sha256>`, with `_size` |
public struct HARBodyPolicy: Sendable, Equatable {
    /// Largest body kept inline. Default 1 MiB.
    public var maxInlineSize: Int

    public init(maxInlineSize: Int = 1 << 20) {
        self.maxInlineSize = maxInlineSize
    }

    /// Whether a body of this media type may be inlined (if it turns out small and UTF-8).
    public func mayInline(mimeType: String) -> Bool {
        let type = Self.essence(mimeType)
        if type.isEmpty { return true }
        if type.hasPrefix("multipart/") { return false }
        if type.hasPrefix("text/") { return true }
        if type.hasSuffix("+json") || type.hasSuffix("+xml") { return true }
        return Self.textualApplicationTypes.contains(type)
    }

    private static let textualApplicationTypes: Set<String> = [
        "application/json", "application/x-ndjson", "application/xml", "application/x-www-form-urlencoded", "application/javascript",
        "application/problem+json",
    ]

    /// `Text/Event-Stream; charset=utf-8` → `text/event-stream`.
    public static func essence(_ mimeType: String) -> String {
        let type = mimeType.split(separator: ";", maxSplits: 1).first ?? ""
        return type.trimmingCharacters(in: .whitespaces).lowercased()
    }
}
