import Foundation

/// A JSON value whose object keys keep the order they were written in.
///
/// The voice routes answer with the original gateway's key order (`voice_id`, `name`, …) and the
/// Chatterbox requests are built in the order the original sent them; `JSONSerialization` would
/// reorder both.
enum OrderedJSON: Sendable, Equatable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])

    /// Compact UTF-8 text (`{"a":1,"b":[true]}`).
    var bytes: [UInt8] { Array(text(indent: nil).utf8) }

    /// Text; with `indent`, pretty-printed like Python's `json.dumps(indent=2)`.
    func text(indent: Int?, level: Int = 0) -> String {
        switch self {
        case .string(let value): return Self.quoted(value)
        case .int(let value): return String(value)
        case .double(let value):
            // Finite values only; JSON has no NaN or infinity.
            guard value.isFinite else { return "null" }
            return value == value.rounded() && abs(value) < 1e15 ? String(format: "%.1f", value) : String(value)
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        case .array(let items):
            return Self.container("[", "]", items.map { $0.text(indent: indent, level: level + 1) }, indent: indent, level: level)
        case .object(let fields):
            let separator = indent == nil ? ":" : ": "
            let members = fields.map { Self.quoted($0.0) + separator + $0.1.text(indent: indent, level: level + 1) }
            return Self.container("{", "}", members, indent: indent, level: level)
        }
    }

    private static func container(_ open: String, _ close: String, _ members: [String], indent: Int?, level: Int) -> String {
        guard let indent, !members.isEmpty else { return open + members.joined(separator: ",") + close }
        let inner = String(repeating: " ", count: indent * (level + 1))
        let outer = String(repeating: " ", count: indent * level)
        return open + "\n" + members.map { inner + $0 }.joined(separator: ",\n") + "\n" + outer + close
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped; other text as UTF-8.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func == (lhs: OrderedJSON, rhs: OrderedJSON) -> Bool {
        lhs.text(indent: nil) == rhs.text(indent: nil)
    }
}
