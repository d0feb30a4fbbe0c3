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
        .obj(
            ("ts", .string(ts)), ("source", .string(source)), ("level", .string(level.name)),
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
