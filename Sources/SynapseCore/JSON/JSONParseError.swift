/// Why a document is not JSON, and the byte offset (from 0) in the input where that was found.
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong at `offset`.
    public enum Reason: Equatable, Sendable {
        /// The input ended inside a value (or was empty).
        case unexpectedEndOfInput
        /// A byte that cannot start a value.
        case expectedValue
        /// Something other than a `"` where an object key belongs.
        case expectedKey
        /// Something other than `:` after an object key.
        case expectedColon
        /// Something other than `,` or the closing bracket after an item.
        case expectedCommaOrEnd
        /// `tru`, `nul`, `True`…: a misspelled `true`, `false` or `null`.
        case invalidLiteral
        /// A number not of the form `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
        case invalidNumber
        /// A raw byte below 0x20 inside a string.
        case controlCharacterInString
        /// A backslash followed by something other than `" \ / b f n r t u`.
        case invalidEscape
        /// `\u` not followed by four hex digits, or a surrogate without its partner.
        case invalidUnicodeEscape
        /// String bytes that are not UTF-8.
        case invalidUTF8
        /// More input after a complete document.
        case trailingCharacters
        /// Arrays and objects nested deeper than the parser's limit.
        case tooDeeplyNested
    }

    public var reason: Reason
    /// Byte offset in the input where the problem starts.
    public var offset: Int

    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String {
        let what: String
        switch reason {
        case .unexpectedEndOfInput: what = "unexpected end of input"
        case .expectedValue: what = "expected a value"
        case .expectedKey: what = "expected a string key"
        case .expectedColon: what = "expected ':'"
        case .expectedCommaOrEnd: what = "expected ',' or a closing bracket"
        case .invalidLiteral: what = "invalid literal"
        case .invalidNumber: what = "invalid number"
        case .controlCharacterInString: what = "unescaped control character in string"
        case .invalidEscape: what = "invalid escape"
        case .invalidUnicodeEscape: what = "invalid \\u escape"
        case .invalidUTF8: what = "invalid UTF-8"
        case .trailingCharacters: what = "unexpected data after the document"
        case .tooDeeplyNested: what = "nested too deeply"
        }
        return "\(what) at byte \(offset)"
    }
}
