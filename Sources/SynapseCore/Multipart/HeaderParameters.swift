/// The `; key=value` parameters of a header such as `Content-Type` or `Content-Disposition`.
///
/// Values may be tokens or quoted strings (with `\` escapes); keys are matched case-insensitively.
/// The leading value (`multipart/form-data`, `form-data`) is kept in `value`.
public struct HeaderParameters: Sendable, Equatable {
    /// The part before the first `;`, trimmed.
    public var value: String
    /// Parameters in order, keys lowercased.
    public var parameters: [(key: String, value: String)]

    public init(_ header: String) {
        let characters = Array(header)
        var index = 0
        // The leading value runs to the first `;`.
        var leading = ""
        while index < characters.count, characters[index] != ";" {
            leading.append(characters[index])
            index += 1
        }
        self.value = leading.multipartTrimmed()
        self.parameters = []
        while index < characters.count {
            index += 1  // skip `;`
            var key = ""
            while index < characters.count, characters[index] != "=", characters[index] != ";" {
                key.append(characters[index])
                index += 1
            }
            key = key.multipartTrimmed().lowercased()
            var parameterValue = ""
            if index < characters.count, characters[index] == "=" {
                index += 1
                while index < characters.count, characters[index] == " " || characters[index] == "\t" { index += 1 }
                if index < characters.count, characters[index] == "\"" {
                    index += 1
                    while index < characters.count, characters[index] != "\"" {
                        // A backslash quotes the next character (RFC 7230 quoted-pair).
                        if characters[index] == "\\", index + 1 < characters.count { index += 1 }
                        parameterValue.append(characters[index])
                        index += 1
                    }
                    // Skip the closing quote and anything up to the next `;`.
                    while index < characters.count, characters[index] != ";" { index += 1 }
                } else {
                    while index < characters.count, characters[index] != ";" {
                        parameterValue.append(characters[index])
                        index += 1
                    }
                    parameterValue = parameterValue.multipartTrimmed()
                }
            }
            if !key.isEmpty { parameters.append((key, parameterValue)) }
        }
    }

    /// The first parameter with this key (case-insensitive).
    public subscript(key: String) -> String? {
        let lowered = key.lowercased()
        return parameters.first { $0.key == lowered }?.value
    }

    /// Decodes an RFC 5987 extended value such as `UTF-8''na%C3%AFve.wav`; nil when malformed.
    public static func decodeExtended(_ extended: String) -> String? {
        let pieces = extended.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else { return nil }
        let charset = pieces[0].lowercased()
        guard charset == "utf-8" || charset == "iso-8859-1" || charset == "us-ascii" else { return nil }
        var bytes: [UInt8] = []
        var utf8 = Array(pieces[2].utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%") {
                guard utf8.count >= 2, let high = hexValue(utf8.removeFirst()), let low = hexValue(utf8.removeFirst()) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        if charset == "iso-8859-1" {
            return String(bytes.map { Character(Unicode.Scalar($0)) })
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.value == rhs.value && lhs.parameters.elementsEqual(rhs.parameters) { $0 == $1 }
    }
}

extension String {
    /// Drops leading and trailing spaces and tabs (Core avoids Foundation's character sets here).
    func multipartTrimmed() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
