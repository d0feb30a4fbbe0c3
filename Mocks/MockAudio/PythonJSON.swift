/// An ordered JSON value rendered byte-for-byte as the Python audio services write it.
///
/// FastAPI's `JSONResponse` writes compact JSON (`,` and `:` without spaces, UTF-8 kept), while
/// sse-starlette's data lines come from plain `json.dumps` (`, ` and `: `, non-ASCII escaped).
/// Floats print as Python's `repr` does: shortest round-trip digits, always with a `.0` or exponent.
public enum PythonJSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([PythonJSON])
    case object([(String, PythonJSON)])

    /// An object from key/value pairs in order.
    public static func obj(_ members: (String, PythonJSON)...) -> PythonJSON { .object(members) }

    /// FastAPI's rendering: `{"a":1,"b":[1,2]}`.
    public var compactText: String {
        var out = ""
        write(to: &out, spaced: false, asciiOnly: false)
        return out
    }

    /// `json.dumps` with default arguments: `{"a": 1, "b": [1, 2]}`, non-ASCII as `\uXXXX`.
    public var dumpsText: String {
        var out = ""
        write(to: &out, spaced: true, asciiOnly: true)
        return out
    }

    public static func == (lhs: PythonJSON, rhs: PythonJSON) -> Bool { lhs.compactText == rhs.compactText }

    /// The member `key` of an object.
    public subscript(key: String) -> PythonJSON? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    private func write(to out: inout String, spaced: Bool, asciiOnly: Bool) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .double(let value): out += Self.pythonRepr(value)
        case .string(let value): Self.writeString(value, to: &out, asciiOnly: asciiOnly)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += spaced ? ", " : "," }
                item.write(to: &out, spaced: spaced, asciiOnly: asciiOnly)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out += spaced ? ", " : "," }
                Self.writeString(key, to: &out, asciiOnly: asciiOnly)
                out += spaced ? ": " : ":"
                value.write(to: &out, spaced: spaced, asciiOnly: asciiOnly)
            }
            out += "}"
        }
    }

    /// Python's `repr(float)`: Swift's shortest round-trip digits agree; only the spellings of
    /// non-finite values and exponents differ.
    static func pythonRepr(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        var text = "\(value)"
        if let e = text.firstIndex(of: "e") {
            // Swift writes 1e-05 and 1e+16 like Python; pad a one-digit exponent just in case.
            let mantissa = text[..<e]
            var exponent = String(text[text.index(after: e)...])
            let sign = exponent.first == "-" ? "-" : "+"
            exponent = exponent.trimmingPrefix(while: { $0 == "-" || $0 == "+" })
            if exponent.count < 2 { exponent = "0" + exponent }
            text = "\(mantissa)e\(sign)\(exponent)"
        }
        return text
    }

    private static func writeString(_ value: String, to out: inout String, asciiOnly: Bool) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || (asciiOnly && scalar.value > 0x7E) {
                    // UTF-16 code units, as Python escapes astral characters with surrogate pairs.
                    for unit in String(scalar).utf16 { out += "\\u" + hex4(unit) }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    private static func hex4(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}

extension String {
    fileprivate func trimmingPrefix(while predicate: (Character) -> Bool) -> String {
        String(drop(while: predicate))
    }
}
