/// One problem found in a configuration: where (key path and, when the parser knows it, line) and what.
public struct ConfigIssue: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    /// Dotted path of the offending key, e.g. `backends.llama-router.breaker.openFor`; empty for the whole file.
    public var keyPath: String
    public var message: String
    public var severity: Severity
    /// 1-based line in the YAML file, when known.
    public var line: Int?

    public init(_ keyPath: String, _ message: String, severity: Severity = .error, line: Int? = nil) {
        self.keyPath = keyPath
        self.message = message
        self.severity = severity
        self.line = line
    }

    public var description: String {
        var text = "\(severity.rawValue): "
        if !keyPath.isEmpty { text += "\(keyPath): " }
        text += message
        if let line { text += " (line \(line))" }
        return text
    }
}

/// Thrown by `ConfigLoader` when a configuration has at least one error; carries every issue found.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public var issues: [ConfigIssue]
    public init(issues: [ConfigIssue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
