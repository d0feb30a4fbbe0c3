import Foundation

/// Makes a log record safe and bounded before it enters the terminal feed, as the original does:
///
/// ```
/// message: "\r" → " ",  "\n" → " \n " (a literal backslash-n)  →  redaction rules  →  truncation
/// source:  trimmed, at most 120 characters
/// ```
///
/// | Rule (case-insensitive)                                      | Becomes                            |
/// | ------------------------------------------------------------ | ---------------------------------- |
/// | `Authorization: Bearer X`                                    | `Authorization: Bearer [REDACTED]` |
/// | `bearer X`                                                   | `Bearer [REDACTED]`                |
/// | `api_key`/`apikey`/`api-key`/`token`/`secret`/`password`/`passwd`/`cookie` then `:` or `=` | the value `[REDACTED]` |
/// | each extra pattern (`\|\|`-separated; invalid ones skipped)  | the match `[REDACTED]`             |
///
/// Lengths are counted in Unicode scalars, as Python counts `str` lengths. A message longer than
/// `maxLineChars` keeps its first `maxLineChars - 12` scalars followed by `...[truncated]`.
struct LogLineSanitizer: Sendable {
    /// The original's floor for `SYNAPSE_TERMINAL_FEED_MAX_LINE_CHARS`.
    static let minimumLineChars = 256
    static let maximumSourceChars = 120
    static let redacted = "[REDACTED]"

    /// Longest message kept whole: `max(256, configured)`.
    let maxLineChars: Int
    private let rules: [Rule]

    /// A regex and its replacement template (`$1` refers to a group).
    private struct Rule: @unchecked Sendable {
        // NSRegularExpression is immutable once built and documented as safe to use from any thread.
        let regex: NSRegularExpression
        let template: String
    }

    init(maxLineChars: Int, extraPatterns: String) {
        self.maxLineChars = max(Self.minimumLineChars, maxLineChars)
        let builtIn: [(String, String)] = [
            (#"(?i)authorization\s*:\s*bearer\s+[^\s,;]+"#, "Authorization: Bearer [REDACTED]"),
            (#"(?i)\bbearer\s+[^\s,;]+"#, "Bearer [REDACTED]"),
            // An optional closing quote lets `"api_key": "…"` in logged JSON match as well.
            (#"(?i)((?:api[-_]?key|token|secret|password|passwd|cookie)"?\s*[:=]\s*"?)[^\s,;&"]+"#, "$1[REDACTED]"),
        ]
        var rules = builtIn.map { Rule(regex: try! NSRegularExpression(pattern: $0.0), template: $0.1) }
        for pattern in extraPatterns.components(separatedBy: "||") {
            let pattern = pattern.trimmingCharacters(in: .whitespaces)
            // Invalid extra patterns are skipped, as the original skips those `re.compile` rejects.
            guard !pattern.isEmpty, let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            rules.append(Rule(regex: regex, template: NSRegularExpression.escapedTemplate(for: Self.redacted)))
        }
        self.rules = rules
    }

    /// The message as it is published: one line, redacted, bounded.
    func message(_ raw: String) -> String {
        var text = raw.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " \\n ")
        for rule in rules {
            text = rule.regex.stringByReplacingMatches(
                in: text, range: NSRange(text.startIndex..., in: text), withTemplate: rule.template)
        }
        let scalars = text.unicodeScalars
        guard scalars.count > maxLineChars else { return text }
        return String(String.UnicodeScalarView(scalars.prefix(maxLineChars - 12))) + "...[truncated]"
    }

    /// The logger name, trimmed and cut to 120 characters.
    static func source(_ raw: String) -> String {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        return String(String.UnicodeScalarView(trimmed.unicodeScalars.prefix(maximumSourceChars)))
    }
}
