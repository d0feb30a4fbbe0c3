import Foundation
import SynapseCore

/// Parses request bodies the way llama.cpp's nlohmann JSON does, including its error text, because
/// a malformed body is answered with a 500 whose message *is* that text:
///
/// ```
/// [json.exception.parse_error.101] parse error at line 1, column 40: syntax error while parsing
/// value - invalid string: missing closing quote; last read: '"hello'
/// ```
///
/// Columns count every byte read, including the final attempt to read past the end; `last read`
/// is the text of the token being scanned. Approximation: the token text is what this token has
/// read so far (nlohmann keeps it the same way for strings, numbers and literals).
struct LlamaJSONParser {
    /// A parse failure with nlohmann's full message.
    struct Failure: Error, Equatable {
        let message: String
    }

    private enum Token: Equatable {
        case beginArray, endArray, beginObject, endObject, nameSeparator, valueSeparator
        case literal(JSONValue)
        case string(String)
        case number(JSONValue)
        case parseError, endOfInput

        var name: String {
            switch self {
            case .beginArray: "'['"
            case .endArray: "']'"
            case .beginObject: "'{'"
            case .endObject: "'}'"
            case .nameSeparator: "':'"
            case .valueSeparator: "','"
            case .literal(.bool(true)): "true literal"
            case .literal(.bool(false)): "false literal"
            case .literal: "null literal"
            case .string: "string literal"
            case .number: "number literal"
            case .parseError: "<parse error>"
            case .endOfInput: "end of input"
            }
        }
    }

    private let bytes: [UInt8]
    private var index = 0  // next byte to read
    private var charsRead = 0  // includes reads past the end, as nlohmann counts them
    private var line = 1
    private var column = 0
    private var current: Int = -1  // last byte read, -1 at end of input
    private var tokenText: [UInt8] = []
    private var lexerError = ""
    private var token = Token.endOfInput

    /// Parses a whole document; throws `Failure` with nlohmann's message.
    static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        var parser = LlamaJSONParser(bytes: bytes)
        return try parser.document()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    // MARK: Grammar

    private mutating func document() throws(Failure) -> JSONValue {
        scan()
        let value = try parseValue()
        scan()
        guard token == .endOfInput else { throw failure(expected: "end of input", context: "value") }
        return value
    }

    private mutating func parseValue() throws(Failure) -> JSONValue {
        switch token {
        case .literal(let v), .number(let v): return v
        case .string(let s): return .string(s)
        case .beginArray:
            var items: [JSONValue] = []
            scan()
            if token == .endArray { return .array(items) }
            while true {
                items.append(try parseValue())
                scan()
                if token == .valueSeparator {
                    scan()
                    continue
                }
                guard token == .endArray else { throw failure(expected: "']'", context: "array") }
                return .array(items)
            }
        case .beginObject:
            var members: [(String, JSONValue)] = []
            scan()
            if token == .endObject { return .object(members) }
            while true {
                guard case .string(let key) = token else { throw failure(expected: "string literal", context: "object key") }
                scan()
                guard token == .nameSeparator else { throw failure(expected: "':'", context: "object separator") }
                scan()
                let value = try parseValue()
                // Like nlohmann, a repeated key keeps the last value.
                if let i = members.firstIndex(where: { $0.0 == key }) {
                    members[i].1 = value
                } else {
                    members.append((key, value))
                }
                scan()
                if token == .valueSeparator {
                    scan()
                    continue
                }
                guard token == .endObject else { throw failure(expected: "'}'", context: "object") }
                return .object(members)
            }
        case .parseError:
            throw failure(expected: nil, context: "value")
        case .endOfInput where charsRead == 1:
            throw Failure(message: prefix() + "attempting to parse an empty input; check that your input string or stream contains the expected JSON")
        default:
            throw failure(expected: "'[', '{', or a literal", context: "value")
        }
    }

    private func prefix() -> String {
        "[json.exception.parse_error.101] parse error at line \(line), column \(column): "
    }

    private func failure(expected: String?, context: String) -> Failure {
        var message = prefix() + "syntax error while parsing \(context) - "
        if token == .parseError {
            message += lexerError + "; last read: '" + printableTokenText() + "'"
        } else {
            message += "unexpected " + token.name
        }
        if let expected { message += "; expected " + expected }
        return Failure(message: message)
    }

    private func printableTokenText() -> String {
        var out = ""
        for b in tokenText {
            if b < 0x20 {
                let hex = String(b, radix: 16, uppercase: true)
                out += "<U+" + String(repeating: "0", count: 4 - hex.count) + hex + ">"
            } else {
                out += String(decoding: [b], as: UTF8.self)
            }
        }
        // Multi-byte characters were appended byte by byte; decode the whole run again.
        return tokenText.allSatisfy({ $0 >= 0x20 }) ? String(decoding: tokenText, as: UTF8.self) : out
    }

    // MARK: Lexer

    private mutating func get() {
        charsRead += 1
        column += 1
        if index < bytes.count {
            current = Int(bytes[index])
            index += 1
            tokenText.append(UInt8(current))
            if current == 0x0A {
                line += 1
                column = 0
            }
        } else {
            current = -1
        }
    }

    /// Steps back one byte (numbers read one past their end).
    private mutating func unget() {
        charsRead -= 1
        column -= 1
        if current >= 0 {
            index -= 1
            tokenText.removeLast()
        }
    }

    private mutating func scan() {
        repeat { get() } while current == 0x20 || current == 0x09 || current == 0x0A || current == 0x0D
        tokenText = current >= 0 ? [UInt8(current)] : []
        switch current {
        case Int(UInt8(ascii: "[")): token = .beginArray
        case Int(UInt8(ascii: "]")): token = .endArray
        case Int(UInt8(ascii: "{")): token = .beginObject
        case Int(UInt8(ascii: "}")): token = .endObject
        case Int(UInt8(ascii: ":")): token = .nameSeparator
        case Int(UInt8(ascii: ",")): token = .valueSeparator
        case Int(UInt8(ascii: "t")): token = scanLiteral("true", .bool(true))
        case Int(UInt8(ascii: "f")): token = scanLiteral("false", .bool(false))
        case Int(UInt8(ascii: "n")): token = scanLiteral("null", .null)
        case Int(UInt8(ascii: "\"")): token = scanString()
        case Int(UInt8(ascii: "-")), Int(UInt8(ascii: "0"))...Int(UInt8(ascii: "9")): token = scanNumber()
        case -1, 0: token = .endOfInput
        default:
            lexerError = "invalid literal"
            token = .parseError
        }
    }

    private mutating func scanLiteral(_ word: String, _ value: JSONValue) -> Token {
        for expected in word.utf8.dropFirst() {
            get()
            guard current == Int(expected) else {
                lexerError = "invalid literal"
                return .parseError
            }
        }
        return .literal(value)
    }

    private mutating func scanString() -> Token {
        var out: [UInt8] = []
        while true {
            get()
            switch current {
            case -1:
                lexerError = "invalid string: missing closing quote"
                return .parseError
            case Int(UInt8(ascii: "\"")):
                return .string(String(decoding: out, as: UTF8.self))
            case Int(UInt8(ascii: "\\")):
                get()
                switch current {
                case Int(UInt8(ascii: "\"")), Int(UInt8(ascii: "\\")), Int(UInt8(ascii: "/")): out.append(UInt8(current))
                case Int(UInt8(ascii: "b")): out.append(0x08)
                case Int(UInt8(ascii: "f")): out.append(0x0C)
                case Int(UInt8(ascii: "n")): out.append(0x0A)
                case Int(UInt8(ascii: "r")): out.append(0x0D)
                case Int(UInt8(ascii: "t")): out.append(0x09)
                case Int(UInt8(ascii: "u")):
                    guard var scalar = codepoint() else {
                        lexerError = "invalid string: '\\u' must be followed by 4 hex digits"
                        return .parseError
                    }
                    if (0xD800..<0xDC00).contains(scalar) {
                        get()
                        guard current == Int(UInt8(ascii: "\\")) else { return surrogateError() }
                        get()
                        guard current == Int(UInt8(ascii: "u")), let low = codepoint(), (0xDC00..<0xE000).contains(low) else {
                            return surrogateError()
                        }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    out += Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
                default:
                    lexerError = "invalid string: forbidden character after backslash"
                    return .parseError
                }
            case 0..<0x20:
                let hex = String(current, radix: 16, uppercase: true)
                let code = String(repeating: "0", count: 4 - hex.count) + hex
                lexerError = "invalid string: control character U+\(code) must be escaped to \\u\(code)"
                return .parseError
            default:
                out.append(UInt8(current))
            }
        }
    }

    private mutating func surrogateError() -> Token {
        lexerError = "invalid string: surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF"
        return .parseError
    }

    private mutating func codepoint() -> UInt32? {
        var value: UInt32 = 0
        for _ in 0..<4 {
            get()
            guard current >= 0, let digit = UInt32(String(UnicodeScalar(UInt8(current))), radix: 16) else { return nil }
            value = value * 16 + digit
        }
        return value
    }

    private mutating func scanNumber() -> Token {
        var isFloat = false
        if current == Int(UInt8(ascii: "-")) {
            get()
            guard isDigit else {
                lexerError = "invalid number; expected digit after '-'"
                return .parseError
            }
        }
        if current != Int(UInt8(ascii: "0")) {
            while true {
                get()
                if !isDigit { break }
            }
        } else {
            get()
        }
        if current == Int(UInt8(ascii: ".")) {
            isFloat = true
            get()
            guard isDigit else {
                lexerError = "invalid number; expected digit after '.'"
                return .parseError
            }
            repeat { get() } while isDigit
        }
        if current == Int(UInt8(ascii: "e")) || current == Int(UInt8(ascii: "E")) {
            isFloat = true
            get()
            if current == Int(UInt8(ascii: "+")) || current == Int(UInt8(ascii: "-")) {
                get()
                guard isDigit else {
                    lexerError = "invalid number; expected digit after exponent sign"
                    return .parseError
                }
            } else if !isDigit {
                lexerError = "invalid number; expected '+', '-', or digit after exponent"
                return .parseError
            }
            repeat { get() } while isDigit
        }
        unget()
        let text = String(decoding: tokenText, as: UTF8.self)
        if !isFloat, let i = Int(text) { return .number(.int(i)) }
        return .number(.double(Double(text) ?? 0))
    }

    private var isDigit: Bool { current >= 0x30 && current <= 0x39 }
}
