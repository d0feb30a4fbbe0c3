import Foundation
import SynapseCore

/// Python's reading and writing of scalars, for the few places where the original gateway's
/// behaviour hangs on them: `float(s)`, `int(s)`, `str.strip()`, `str(v)`, `\s` and `\d`.
enum PythonText {
    /// `str.isspace()` (also what `\s` matches in a `str` pattern): ASCII whitespace, the
    /// separators U+001C–U+001F, and the Unicode spaces and line/paragraph separators.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// `s.strip()`.
    static func strip(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        return String(scalars[first...last])
    }

    /// The value of a decimal digit in any script (`\d`, Unicode category Nd), as `int()` and
    /// `float()` accept them: `"١٢"` is 12.
    static func digitValue(_ scalar: Unicode.Scalar) -> Int? {
        guard scalar.properties.numericType == .decimal, let value = scalar.properties.numericValue else { return nil }
        return Int(value)
    }

    /// The text with every decimal digit made ASCII and `_` between two digits removed, or nil
    /// when an underscore stands anywhere else (Python allows `1_000`, not `_1`, `1__0`, `1_`).
    private static func asciiDigits(_ text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        var out = ""
        for (index, scalar) in scalars.enumerated() {
            if let digit = digitValue(scalar) {
                out += String(digit)
            } else if scalar == "_" {
                let before = index > 0 ? digitValue(scalars[index - 1]) : nil
                let after = index + 1 < scalars.count ? digitValue(scalars[index + 1]) : nil
                guard before != nil, after != nil else { return nil }
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `float(s)` for a string: surrounding whitespace, a sign, digits with `_`, a fraction,
    /// an exponent, or `nan` / `inf` / `infinity` in any case. Nil where Python raises.
    static func float(_ text: String) -> Double? {
        guard let body = asciiDigits(strip(text)), !body.isEmpty else { return nil }
        var rest = Substring(body)
        var negative = false
        if let sign = rest.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        switch rest.lowercased() {
        case "nan": return .nan
        case "inf", "infinity": return negative ? -.infinity : .infinity
        default: break
        }
        // Grammar: digits [. digits?] | . digits, then [e [sign] digits]. Checked here because
        // Swift's Double(String) also takes hex floats and "nan(…)".
        var index = rest.startIndex
        func digits() -> Int {
            var count = 0
            while index < rest.endIndex, rest[index].isASCII, rest[index].isNumber {
                index = rest.index(after: index)
                count += 1
            }
            return count
        }
        var mantissa = digits()
        if index < rest.endIndex, rest[index] == "." {
            index = rest.index(after: index)
            mantissa += digits()
        }
        guard mantissa > 0 else { return nil }
        if index < rest.endIndex, rest[index] == "e" || rest[index] == "E" {
            index = rest.index(after: index)
            if index < rest.endIndex, rest[index] == "+" || rest[index] == "-" { index = rest.index(after: index) }
            guard digits() > 0 else { return nil }
        }
        guard index == rest.endIndex, let value = Double(String(rest)) else { return nil }
        return negative ? -value : value
    }

    /// `int(s)` for a string: surrounding whitespace, a sign, digits with `_`. Python's ints
    /// are unbounded; past `Int`'s range this saturates, which keeps every range check right.
    static func int(_ text: String) -> Int? {
        guard let body = asciiDigits(strip(text)), !body.isEmpty else { return nil }
        var rest = Substring(body)
        var negative = false
        if let sign = rest.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty, rest.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(negative ? "-" + String(rest) : String(rest)) ?? (negative ? Int.min : Int.max)
    }

    /// `int(x)` for a float: truncation toward zero; nil for NaN and infinities (Python raises;
    /// for infinities an OverflowError), saturating beyond `Int`'s range.
    static func int(_ value: Double) -> Int? {
        guard value.isFinite else { return nil }
        let truncated = value.rounded(.towardZero)
        if truncated >= 9.223372036854775807e18 { return Int.max }
        if truncated <= -9.223372036854775808e18 { return Int.min }
        return Int(truncated)
    }

    /// `repr(x)` of a float as Python writes it in messages: `0.0`, `2.0`, `0.95`.
    static func repr(_ value: Double) -> String {
        JSONFloatFormat.pythonRepr.spell(value)
    }

    /// `str(v)` of a parsed JSON value: `16384`, `1.0`, `True`, `None`; containers as Python
    /// prints them (strings inside quoted with `'`, the common case of `repr`).
    static func str(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        default: repr(value)
        }
    }

    private static func repr(_ value: JSONValue) -> String {
        switch value {
        case .null: "None"
        case .bool(let flag): flag ? "True" : "False"
        case .int(let number): String(number)
        case .double(let number): number.isNaN ? "nan" : number.isInfinite ? (number < 0 ? "-inf" : "inf") : repr(number)
        case .string(let text): "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        case .array(let items): "[" + items.map(repr).joined(separator: ", ") + "]"
        case .object(let members): "{" + members.map { repr(.string($0.0)) + ": " + repr($0.1) }.joined(separator: ", ") + "}"
        }
    }
}
