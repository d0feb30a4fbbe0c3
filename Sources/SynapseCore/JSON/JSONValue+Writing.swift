/// Writing a `JSONValue` as text in a `JSONStyle`.
extension JSONValue {
    /// The text of this value in `style` (compact by default).
    public func text(_ style: JSONStyle = .compact) -> String {
        var out = ""
        write(to: &out, style: style, level: 0)
        return out
    }

    /// The UTF-8 bytes of `text(style)`.
    public func bytes(_ style: JSONStyle = .compact) -> [UInt8] {
        Array(text(style).utf8)
    }

    private func write(to out: inout String, style: JSONStyle, level: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .double(let value): out += style.floats.spell(value)
        case .string(let value): Self.writeString(value, to: &out, escapesNonASCII: style.escapesNonASCII)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                Self.writeSeparator(first: index == 0, to: &out, style: style, level: level + 1)
                item.write(to: &out, style: style, level: level + 1)
            }
            Self.writeClosingIndent(empty: items.isEmpty, to: &out, style: style, level: level)
            out += "]"
        case .object(let members):
            out += "{"
            let colon = style.layout == .compact ? ":" : ": "
            for (index, (key, value)) in members.enumerated() {
                Self.writeSeparator(first: index == 0, to: &out, style: style, level: level + 1)
                Self.writeString(key, to: &out, escapesNonASCII: style.escapesNonASCII)
                out += colon
                value.write(to: &out, style: style, level: level + 1)
            }
            Self.writeClosingIndent(empty: members.isEmpty, to: &out, style: style, level: level)
            out += "}"
        }
    }

    /// What precedes an item: nothing or `,` / `, `; with indentation, a line break and the indent.
    private static func writeSeparator(first: Bool, to out: inout String, style: JSONStyle, level: Int) {
        switch style.layout {
        case .compact: if !first { out += "," }
        case .spaced: if !first { out += ", " }
        case .indented(let width):
            // Python's indent mode ends lines with "," (no trailing space) since 3.4.
            out += first ? "\n" : ",\n"
            out += String(repeating: " ", count: width * level)
        }
    }

    /// Before a closing bracket of a non-empty container, indented styles go back one level;
    /// empty containers stay `[]` / `{}` as Python writes them.
    private static func writeClosingIndent(empty: Bool, to out: inout String, style: JSONStyle, level: Int) {
        guard case .indented(let width) = style.layout, !empty else { return }
        out += "\n" + String(repeating: " ", count: width * level)
    }

    /// `text` as a compact JSON string literal (quotes included), escaped as `writeString` does.
    public static func quoted(_ text: String) -> String {
        var out = ""
        writeString(text, to: &out, escapesNonASCII: false)
        return out
    }

    /// A string literal. Always escaped: `"` `\` and control characters (`\n \r \t \b \f` by
    /// name, the rest as `\u00XX`, lowercase hex, as Python and nlohmann write them). With
    /// `escapesNonASCII`, also DEL and everything above it, astral characters as surrogate pairs.
    static func writeString(_ value: String, to out: inout String, escapesNonASCII: Bool) {
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
                if scalar.value < 0x20 || (escapesNonASCII && scalar.value > 0x7E) {
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
