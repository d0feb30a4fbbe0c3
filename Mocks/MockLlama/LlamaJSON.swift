import Foundation

/// A JSON value as llama.cpp's `ordered_json` (nlohmann) holds it: object keys keep insertion
/// order and integers stay distinct from floats, so answers are written in the real key order
/// and number style (`1.0`, `0.800000011920929`, `-1.2331109246588312e-05`).
public indirect enum LlamaJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([LlamaJSON])
    case object([Member])

    /// One key of an object, in insertion order.
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: LlamaJSON
        public init(_ key: String, _ value: LlamaJSON) {
            self.key = key
            self.value = value
        }
    }

    /// Builds an object from ordered pairs: `.obj(("code", .int(400)), ("message", .string("…")))`.
    public static func obj(_ pairs: (String, LlamaJSON)...) -> LlamaJSON {
        .object(pairs.map { Member($0.0, $0.1) })
    }

    /// The member value for `key`, if this is an object that has it.
    public subscript(key: String) -> LlamaJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 1e15: return Int(d)
        default: return nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var arrayValue: [LlamaJSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    // MARK: Writing

    /// Compact text (no spaces), non-ASCII written as UTF-8, as `json.dump()` does.
    public var compactText: String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += Self.format(d)
        case .string(let s): Self.writeString(s, to: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, m) in members.enumerated() {
                if i > 0 { out += "," }
                Self.writeString(m.key, to: &out)
                out += ":"
                m.value.write(to: &out)
            }
            out += "}"
        }
    }

    /// Shortest round-trip digits like nlohmann's grisu2 output: `1.0`, `0.5`, `1e-05`, `null` for NaN.
    static func format(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        return d.description
    }

    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
