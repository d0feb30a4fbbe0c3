import Foundation
import SynapseCore

/// One voice as the library stores and the API shows it.
///
/// On disk (the original gateway's layout, so an existing library loads unchanged):
/// ```
/// VOICE_ID/metadata.json          {"voice_id", "name", "created_at", "duration_seconds"}
/// VOICE_ID/references/ref_001.wav  ref_002.wav …
/// ```
/// The reference list is the folder's `.wav` files, sorted; metadata does not repeat it.
public struct VoiceRecord: Sendable, Equatable {
    public var voiceID: VoiceID
    public var name: String
    /// ISO 8601 as stored (`2026-02-21T17:45:01.123456+00:00`), passed through unchanged.
    public var createdAt: String
    /// Reference file names (`ref_001.wav`, …), sorted.
    public var references: [String]

    /// `{voice_id, name, created_at, references_count, references}` (`GET /voices`).
    var listing: JSONValue {
        .object([
            ("voice_id", .string(voiceID.rawValue)), ("name", .string(name)), ("created_at", .string(createdAt)),
            ("references_count", .int(references.count)), ("references", .array(references.map(JSONValue.string))),
        ])
    }

    /// `{voice_id, name, references_count, references}` (the upload answers, as the original's).
    var uploadSummary: JSONValue {
        .object([
            ("voice_id", .string(voiceID.rawValue)), ("name", .string(name)),
            ("references_count", .int(references.count)), ("references", .array(references.map(JSONValue.string))),
        ])
    }

    /// The creation time for ordering; nil when the stored text is not ISO 8601.
    var createdDate: Date? { Self.parseTimestamp(createdAt) }

    /// Python's `datetime.now(timezone.utc).isoformat()`: microseconds and `+00:00`.
    static func timestamp(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let micros = Int(((date.timeIntervalSince1970 - seconds) * 1_000_000).rounded(.down))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: seconds))
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06d+00:00", parts.year!, parts.month!, parts.day!,
            parts.hour!, parts.minute!, parts.second!, micros)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.ffffff](Z|±HH:MM)`; the fraction is cut off for the formatter
    /// (which takes at most milliseconds on some platforms) and added back.
    static func parseTimestamp(_ text: String) -> Date? {
        var whole = text
        var fraction = 0.0
        if let dot = text.firstIndex(of: "."), let tIndex = text.firstIndex(of: "T"), dot > tIndex {
            let digits = text[text.index(after: dot)...].prefix { $0.isASCII && $0.isNumber }
            fraction = Double("0." + digits) ?? 0
            whole = String(text[..<dot]) + String(text[text.index(dot, offsetBy: digits.count + 1)...])
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: whole).map { $0.addingTimeInterval(fraction) }
    }

    /// Oldest first; ties and unparseable times by id, so the order is stable.
    static func oldestFirst(_ lhs: VoiceRecord, _ rhs: VoiceRecord) -> Bool {
        switch (lhs.createdDate, rhs.createdDate) {
        case (let left?, let right?) where left != right: return left < right
        case (nil, _?): return false
        case (_?, nil): return true
        default: return lhs.voiceID.rawValue < rhs.voiceID.rawValue
        }
    }
}
