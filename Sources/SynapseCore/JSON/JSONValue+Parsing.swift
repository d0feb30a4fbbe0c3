/// Reading a `JSONValue` strictly (RFC 8259): no comments, no trailing commas, no `NaN`, no
/// leading zeros, valid UTF-8 only. Keys keep document order, repeated keys included; numbers
/// without a fraction or exponent that fit an `Int` become `.int`, all others `.double`.
///
/// Backends whose error *text* is part of their protocol (llama.cpp's nlohmann messages,
/// Python's `json.loads` positions) keep their own readers next to their mocks; this one is
/// for everything that only needs "valid or not, and where".
extension JSONValue {
    /// Arrays and objects nested deeper than this are refused rather than risking the stack.
    public static let maximumDepth = 512

    /// Parses one complete document from UTF-8 bytes.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        var reader = JSONReader(bytes: Array(bytes))
        reader.skipWhitespace()
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.index == reader.bytes.count else { throw JSONParseError(.trailingCharacters, at: reader.index) }
        return value
    }

    /// Parses one complete document from text.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

/// A recursive-descent reader over bytes; `index` is the next byte to read.
private struct JSONReader {
    let bytes: [UInt8]
    var index = 0

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    func fail(_ reason: JSONParseError.Reason, at offset: Int? = nil) -> JSONParseError {
        // Running out of input is reported as such wherever it happens.
        index >= bytes.count && offset == nil ? JSONParseError(.unexpectedEndOfInput, at: bytes.count) : JSONParseError(reason, at: offset ?? index)
    }

    mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        guard let byte = current else { throw fail(.expectedValue) }
        switch byte {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail(.expectedValue)
        }
    }

    mutating func literal(_ word: StaticString, _ result: JSONValue) throws(JSONParseError) -> JSONValue {
        let start = index
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for byte in expected {
            guard current == byte else { throw current == nil ? fail(.invalidLiteral) : JSONParseError(.invalidLiteral, at: start) }
            index += 1
        }
        return result
    }

    mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= JSONValue.maximumDepth else { throw fail(.tooDeeplyNested) }
        index += 1
        var members: [(String, JSONValue)] = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            guard current == UInt8(ascii: "\"") else { throw fail(.expectedKey) }
            let key = try string()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw fail(.expectedColon) }
            index += 1
            skipWhitespace()
            members.append((key, try value(depth: depth)))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                index += 1
                return .object(members)
            default: throw fail(.expectedCommaOrEnd)
            }
        }
    }

    mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= JSONValue.maximumDepth else { throw fail(.tooDeeplyNested) }
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            items.append(try value(depth: depth))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                index += 1
                return .array(items)
            default: throw fail(.expectedCommaOrEnd)
            }
        }
    }

    /// `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`; the offset of an error is the first byte
    /// that does not fit.
    mutating func number() throws(JSONParseError) -> JSONValue {
        let start = index
        var isInteger = true
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, isDigit(first) else { throw fail(.invalidNumber) }
        index += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        if current == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard let byte = current, isDigit(byte) else { throw fail(.invalidNumber) }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let byte = current, isDigit(byte) else { throw fail(.invalidNumber) }
            skipDigits()
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        // Integers too large for Int are still numbers; they read as the nearest Double.
        if isInteger, let value = Int(text) { return .int(value) }
        guard let value = Double(text) else { throw JSONParseError(.invalidNumber, at: start) }
        return .double(value)
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    mutating func skipDigits() {
        while let byte = current, isDigit(byte) { index += 1 }
    }

    mutating func string() throws(JSONParseError) -> String {
        index += 1  // the opening quote
        var out: [UInt8] = []
        var runStart = index  // unescaped bytes are copied a run at a time
        while true {
            guard let byte = current else { throw fail(.unexpectedEndOfInput) }
            switch byte {
            case UInt8(ascii: "\""):
                try appendRun(from: runStart, into: &out)
                index += 1
                // Raw runs were validated and escapes only add whole scalars, so this is valid UTF-8.
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try appendRun(from: runStart, into: &out)
                try escape(into: &out)
                runStart = index
            case 0..<0x20:
                throw fail(.controlCharacterInString)
            default:
                index += 1
            }
        }
    }

    /// Copies the raw bytes `runStart..<index` after checking they are UTF-8. A run ends at an
    /// ASCII `"` or `\`, which never falls inside a multi-byte sequence, so runs check alone.
    func appendRun(from runStart: Int, into out: inout [UInt8]) throws(JSONParseError) {
        let run = bytes[runStart..<index]
        var decoder = UTF8()
        var iterator = run.makeIterator()
        var offset = runStart
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput:
                out += run
                return
            case .error: throw JSONParseError(.invalidUTF8, at: offset)
            }
        }
    }

    /// Reads one escape sequence starting at the backslash.
    mutating func escape(into out: inout [UInt8]) throws(JSONParseError) {
        let backslash = index
        index += 1
        guard let kind = current else { throw fail(.unexpectedEndOfInput) }
        index += 1
        switch kind {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(kind)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var code = try hex4(escapeAt: backslash)
            if (0xDC00..<0xE000).contains(code) { throw JSONParseError(.invalidUnicodeEscape, at: backslash) }
            if (0xD800..<0xDC00).contains(code) {
                // A high surrogate must be followed by `\u` and a low one; together they are one scalar.
                guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                    throw JSONParseError(.invalidUnicodeEscape, at: backslash)
                }
                let second = index
                index += 2
                let low = try hex4(escapeAt: second)
                guard (0xDC00..<0xE000).contains(low) else { throw JSONParseError(.invalidUnicodeEscape, at: second) }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
            // Every code point outside the surrogate range is a valid scalar.
            out += Array(String(Character(Unicode.Scalar(code)!)).utf8)
        default:
            throw JSONParseError(.invalidEscape, at: backslash)
        }
    }

    /// Four hex digits after `\u`; errors point at the backslash of the escape.
    mutating func hex4(escapeAt backslash: Int) throws(JSONParseError) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current else { throw fail(.unexpectedEndOfInput) }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONParseError(.invalidUnicodeEscape, at: backslash)
            }
            code = code * 16 + UInt32(digit)
            index += 1
        }
        return code
    }
}
