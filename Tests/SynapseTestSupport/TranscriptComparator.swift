import Foundation
import SynapseCore

/// Compares a live response with a captured one and lists the differences in words.
///
/// ```
/// status ─ equal
/// headers ─ content-type exactly; policy headers (server, x-accel-buffering, access-control-*…) by value
/// body ─┬ text/event-stream → SSE framing byte for byte, JSON in each data: line by shape
///       ├ JSON              → keys (and order), types, values unless the policy frees them
///       ├ audio             → container and format fields
///       └ other             → text equal after masking timestamps; binary byte for byte
/// ```
public struct TranscriptComparator: Sendable {
    public let policy: TranscriptPolicy

    public init(policy: TranscriptPolicy = .default) {
        self.policy = policy
    }

    /// A live response as received.
    public struct LiveResponse: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]
        /// True when the body ended without its terminating chunk.
        public var cutShort: Bool

        public init(status: Int, headers: [(String, String)], body: [UInt8], cutShort: Bool = false) {
            self.status = status
            self.headers = headers
            self.body = body
            self.cutShort = cutShort
        }
    }

    /// All differences between the captured and the live response (empty = conformant).
    public func differences(recorded: Transcript.Response, live: LiveResponse) -> [String] {
        var out: [String] = []
        if recorded.status != live.status { out.append("status: expected \(recorded.status), got \(live.status)") }
        out += headerDifferences(recorded: recorded.headers, live: live.headers)
        let media = Self.mediaType(recorded.header("content-type"))
        if media == "text/event-stream" {
            out += sseDifferences(recorded: recorded.body, live: live.body)
        } else if media.hasPrefix("audio/") || Self.audioInfo(recorded.body) != nil {
            out += audioDifferences(recorded: recorded.body, live: live.body)
        } else if media == "application/json" || media.hasSuffix("+json"), let o = try? JSONValue.parse(recorded.body) {
            if let l = try? JSONValue.parse(live.body) {
                compareJSON(o, l, path: "$", free: false, into: &out)
            } else {
                out.append("body is not JSON: \(Self.short(String(decoding: live.body, as: UTF8.self)))")
            }
        } else if media.hasPrefix("text/") || media.isEmpty || media.contains("json") {
            out += textDifferences(recorded: recorded.body, live: live.body)
        } else if recorded.body != live.body {
            out.append("body: expected \(recorded.body.count) bytes, got \(live.body.count) different bytes")
        }
        if recorded.cutShort != live.cutShort {
            out.append(recorded.cutShort ? "stream: the original was cut before its end; this one ended normally" : "stream: cut before its end")
        }
        return out
    }

    // MARK: Headers

    func headerDifferences(recorded: [(String, String)], live: [(String, String)]) -> [String] {
        var out: [String] = []
        let o = Self.headerMap(recorded)
        let l = Self.headerMap(live)
        let oType = o["content-type"].map(Self.normalizedContentType)
        let lType = l["content-type"].map(Self.normalizedContentType)
        if oType != lType {
            out.append("content-type: expected \(o["content-type"] ?? "none"), got \(l["content-type"] ?? "none")")
        }
        let names = o.keys.sorted() + l.keys.sorted().filter { o[$0] == nil }
        for name in names where policy.compares(header: name) {
            switch (o[name], l[name]) {
            case (let ov?, nil): out.append("header \(name): missing (expected \(Self.short(ov)))")
            case (nil, let lv?): out.append("header \(name): not in the original, got \(Self.short(lv))")
            case (let ov?, let lv?) where Self.normalizedHeader(name, ov) != Self.normalizedHeader(name, lv):
                out.append("header \(name): expected \(Self.short(ov)), got \(Self.short(lv))")
            default: break
            }
        }
        return out
    }

    /// Lowercased names; repeated headers joined with ", " as HTTP allows.
    static func headerMap(_ headers: [(String, String)]) -> [String: String] {
        var map: [String: String] = [:]
        for (name, value) in headers {
            let key = name.lowercased()
            map[key] = map[key].map { "\($0), \(value)" } ?? value
        }
        return map
    }

    static func mediaType(_ value: String?) -> String {
        guard let value else { return "" }
        return value.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }

    /// `type/subtype; param=value` with spaces normalised and parameter names lowercased.
    static func normalizedContentType(_ value: String) -> String {
        value.split(separator: ";").map { part in
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard let eq = trimmed.firstIndex(of: "=") else { return trimmed.lowercased() }
            return trimmed[..<eq].lowercased() + trimmed[eq...]
        }.joined(separator: "; ")
    }

    /// Headers whose comma-separated items may come in any order are sorted; timestamps masked.
    static func normalizedHeader(_ name: String, _ value: String) -> String {
        let listHeaders: Set<String> = ["allow", "vary", "access-control-allow-methods", "access-control-allow-headers", "access-control-expose-headers"]
        if listHeaders.contains(name) {
            return value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.sorted().joined(separator: ", ")
        }
        return maskVolatile(value)
    }

    // MARK: Text

    /// Dates, times and `YYYYmmdd_HHMMSS` stamps replaced by placeholders.
    static func maskVolatile(_ text: String) -> String {
        text.replacingOccurrences(
            of: #"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?"#, with: "<datetime>", options: .regularExpression
        )
        .replacingOccurrences(of: #"(?<!\d)\d{8}_\d{6}(?!\d)"#, with: "<stamp>", options: .regularExpression)
    }

    func textDifferences(recorded: [UInt8], live: [UInt8]) -> [String] {
        let o = Array(Self.maskVolatile(String(decoding: recorded, as: UTF8.self)))
        let l = Array(Self.maskVolatile(String(decoding: live, as: UTF8.self)))
        guard o != l else { return [] }
        let at = (0..<min(o.count, l.count)).first { o[$0] != l[$0] } ?? min(o.count, l.count)
        let expected = String(o[at..<min(o.count, at + 40)])
        let got = String(l[at..<min(l.count, at + 40)])
        return ["body differs at character \(at): expected \(Self.short(expected)), got \(Self.short(got))"]
    }

    static func short(_ text: String, limit: Int = 80) -> String {
        let quoted = "\"" + text.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r") + "\""
        return quoted.count <= limit ? quoted : String(quoted.prefix(limit - 3)) + "..."
    }
}
