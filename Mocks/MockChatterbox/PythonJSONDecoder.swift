import SynapseCore

/// Reads request bodies the way Python's `json.loads` does, down to its error messages and
/// character positions, which FastAPI puts into `json_invalid` 422 bodies. (Core's strict
/// `JSONValue.parse` reports byte offsets and refuses `NaN`; Python counts characters and
/// accepts `NaN`, `Infinity` and `-Infinity`, so this mock keeps its own reader.)
enum PythonJSONDecoder {
    /// A `json.JSONDecodeError`: Python's message and the offending position in characters.
    struct DecodeError: Error, Equatable, Sendable {
        var message: String
        /// Index in Unicode scalars (Python `str` positions), as FastAPI reports it in `loc`.
        var position: Int
    }

    /// Parses a whole document; keys keep their order.
    static func decode(_ text: String) throws(DecodeError) -> JSONValue {
        var parser = Parser(scalars: Array(text.unicodeScalars))
        parser.skipWhitespace()
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.index == parser.scalars.count else { throw DecodeError(message: "Extra data", position: parser.index) }
        return value
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0

        var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        mutating func skipWhitespace() {
            while let scalar = current, scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" { index += 1 }
        }

        func fail(_ message: String, at position: Int) -> DecodeError { DecodeError(message: message, position: position) }

        mutating func value() throws(DecodeError) -> JSONValue {
            guard let scalar = current else { throw fail("Expecting value", at: index) }
            switch scalar {
            case "{": return try object()
            case "[": return try array()
            case "\"": return .string(try string())
            case "n" where matches("null"):
                index += 4
                return .null
            case "t" where matches("true"):
                index += 4
                return .bool(true)
            case "f" where matches("false"):
                index += 5
                return .bool(false)
            case "N" where matches("NaN"):
                index += 3
                return .double(.nan)
            case "I" where matches("Infinity"):
                index += 8
                return .double(.infinity)
            case "-" where matches("-Infinity"):
                index += 9
                return .double(-.infinity)
            default: return try number()
            }
        }

        func matches(_ word: String) -> Bool {
            let wanted = Array(word.unicodeScalars)
            return index + wanted.count <= scalars.count && Array(scalars[index..<index + wanted.count]) == wanted
        }

        mutating func object() throws(DecodeError) -> JSONValue {
            index += 1
            var members: [(String, JSONValue)] = []
            skipWhitespace()
            if current == "}" {
                index += 1
                return .object([])
            }
            while true {
                guard current == "\"" else { throw fail("Expecting property name enclosed in double quotes", at: index) }
                let key = try string()
                skipWhitespace()
                guard current == ":" else { throw fail("Expecting ':' delimiter", at: index) }
                index += 1
                skipWhitespace()
                let value = try value()
                // Python keeps a repeated key at its first position with the last value.
                if let existing = members.firstIndex(where: { $0.0 == key }) {
                    members[existing].1 = value
                } else {
                    members.append((key, value))
                }
                skipWhitespace()
                if current == "}" {
                    index += 1
                    return .object(members)
                }
                guard current == "," else { throw fail("Expecting ',' delimiter", at: index) }
                index += 1
                skipWhitespace()
            }
        }

        mutating func array() throws(DecodeError) -> JSONValue {
            index += 1
            var items: [JSONValue] = []
            skipWhitespace()
            if current == "]" {
                index += 1
                return .array([])
            }
            while true {
                items.append(try value())
                skipWhitespace()
                if current == "]" {
                    index += 1
                    return .array(items)
                }
                guard current == "," else { throw fail("Expecting ',' delimiter", at: index) }
                index += 1
                skipWhitespace()
            }
        }

        mutating func string() throws(DecodeError) -> String {
            let start = index
            index += 1
            var out = String.UnicodeScalarView()
            while true {
                guard let scalar = current else { throw fail("Unterminated string starting at", at: start) }
                if scalar == "\"" {
                    index += 1
                    return String(out)
                }
                if scalar.value < 0x20 { throw fail("Invalid control character at", at: index) }
                if scalar != "\\" {
                    out.append(scalar)
                    index += 1
                    continue
                }
                index += 1
                guard let escape = current else { throw fail("Unterminated string starting at", at: start) }
                switch escape {
                case "\"", "\\", "/": out.append(escape)
                case "b": out.append("\u{08}")
                case "f": out.append("\u{0C}")
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                case "u":
                    var code = try hex4(at: index + 1)
                    index += 4
                    // A high surrogate followed by `\uDC00…` forms one character, as in Python.
                    if (0xD800..<0xDC00).contains(code), index + 6 < scalars.count,
                        scalars[index + 1] == "\\", scalars[index + 2] == "u",
                        let low = try? hex4(at: index + 3), (0xDC00..<0xE000).contains(low)
                    {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                    out.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default:
                    throw fail("Invalid \\escape: '\\\(escape)'", at: index - 1)
                }
                index += 1
            }
        }

        func hex4(at position: Int) throws(DecodeError) -> UInt32 {
            guard position + 4 <= scalars.count,
                let code = UInt32(String(String.UnicodeScalarView(scalars[position..<position + 4])), radix: 16)
            else { throw fail("Invalid \\uXXXX escape", at: position - 1) }
            return code
        }

        /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`: an int unless it has a fraction or exponent.
        mutating func number() throws(DecodeError) -> JSONValue {
            let start = index
            func digits() -> Int {
                var count = 0
                while let scalar = current, ("0"..."9").contains(scalar) {
                    index += 1
                    count += 1
                }
                return count
            }
            if current == "-" { index += 1 }
            guard let first = current, ("0"..."9").contains(first) else {
                index = start
                throw fail("Expecting value", at: start)
            }
            if first == "0" { index += 1 } else { _ = digits() }
            var isInteger = true
            if current == ".", index + 1 < scalars.count, ("0"..."9").contains(scalars[index + 1]) {
                index += 1
                _ = digits()
                isInteger = false
            }
            if current == "e" || current == "E" {
                let mark = index
                index += 1
                if current == "+" || current == "-" { index += 1 }
                if digits() == 0 { index = mark } else { isInteger = false }
            }
            let text = String(String.UnicodeScalarView(scalars[start..<index]))
            if isInteger, let value = Int(text) { return .int(value) }
            return .double(Double(text) ?? 0)
        }
    }
}
