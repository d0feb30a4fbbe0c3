/// Escaping for the XML and HTML reports: route names and commands come from recordings and
/// shells, so every piece of user text goes through here.
enum Markup {
    /// `text` safe in element content and in single- or double-quoted attributes. Characters XML
    /// 1.0 forbids (most C0 controls) become U+FFFD, so a stray byte in a recorded path cannot
    /// make the JUnit file unreadable.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
