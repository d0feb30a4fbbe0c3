import Foundation
import SynapseCore

/// A log level as the original's feed names and ranks it (Python's `logging` levels).
public enum TerminalFeedLevel: Int, Sendable, Comparable, CaseIterable {
    case debug = 10
    case info = 20
    case warning = 30
    case error = 40
    case critical = 50

    /// `DEBUG`, `INFO`, `WARNING`, `ERROR`, `CRITICAL`.
    public var name: String {
        switch self {
        case .debug: "DEBUG"
        case .info: "INFO"
        case .warning: "WARNING"
        case .error: "ERROR"
        case .critical: "CRITICAL"
        }
    }

    /// A name in any case (surrounding blanks ignored); nil for anything else.
    public init?(name: String) {
        let wanted = name.trimmingCharacters(in: .whitespaces).uppercased()
        guard let level = Self.allCases.first(where: { $0.name == wanted }) else { return nil }
        self = level
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One line of the feed, already sanitised: `{"ts","source","level","message","instance"}`.
public struct TerminalFeedEvent: Sendable, Equatable {
    /// UTC time as Python's `datetime.now(timezone.utc).isoformat()` writes it.
    public var ts: String
    /// The logger's name (swift-log label), at most 120 characters.
    public var source: String
    public var level: TerminalFeedLevel
    public var message: String
    /// The gateway replica that produced the line (`SYNAPSE_INSTANCE_ID`).
    public var instance: String

    /// The event as the original serialises it, keys in its order.
    public var json: JSONValue {
        .obj(("ts", .string(ts)), ("source", .string(source)), ("level", .string(level.name)),
             ("message", .string(message)), ("instance", .string(instance)))
    }

    /// The SSE frame `event: log` with the event's compact, ASCII-only JSON.
    var frame: String { Self.frame(name: "log", data: json) }

    /// `json.dumps(data, separators=(",", ":"))`: compact, non-ASCII escaped (`ensure_ascii=True`).
    static let style = JSONStyle(layout: .compact, escapesNonASCII: true, floats: .pythonRepr)

    /// `event: <name>\ndata: <json>\n\n`.
    static func frame(name: String, data: JSONValue) -> String {
        "event: \(name)\ndata: \(data.text(style))\n\n"
    }
}

// MARK: Timestamps

extension TerminalFeedEvent {
    /// `2026-12-06T21:05:42.123456+00:00`; the fraction is left out when it is zero, as Python does.
    static func isoformat(_ date: Date) -> String {
        var seconds = date.timeIntervalSince1970.rounded(.down)
        var micros = Int(((date.timeIntervalSince1970 - seconds) * 1_000_000).rounded())
        if micros == 1_000_000 {
            seconds += 1
            micros = 0
        }
        let total = Int(seconds)
        let days = Int((Double(total) / 86_400).rounded(.down))
        let secondOfDay = total - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(secondOfDay / 3600, 2) + ":"
            + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        if micros != 0 { text += "." + pad(micros, 6) }
        return text + "+00:00"
    }

    /// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civilDate(daysSinceEpoch: Int) -> (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
