/// One problem in a scenario file: file, 1-based line, the key at fault, and what is wrong.
public struct ScenarioIssue: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    /// Dotted path of the offending key, e.g. `steps[2].request.count`; empty for the whole file.
    public var keyPath: String
    public var message: String

    public init(file: String, line: Int?, keyPath: String, message: String) {
        self.file = file
        self.line = line
        self.keyPath = keyPath
        self.message = message
    }

    /// `file.yaml:12: steps[2].request.count: expected a whole number, got 'many'`
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if !keyPath.isEmpty { text += "\(keyPath): " }
        return text + message
    }
}

/// The errors of the scenarios module.
public enum ScenarioError: Error, Sendable, CustomStringConvertible {
    /// A scenario file could not be read or is invalid; every problem found is listed.
    case invalidFile([ScenarioIssue])
    /// The mocks or the gateway could not be started (bad `config` overrides, bind failure…).
    case setupFailed(String)
    /// The target's gateway or control API could not be reached or answered nonsense.
    case targetUnavailable(String)

    /// A stable code for JSON reports and logs.
    public var code: String {
        switch self {
        case .invalidFile: "invalid_scenario"
        case .setupFailed: "setup_failed"
        case .targetUnavailable: "target_unavailable"
        }
    }

    public var description: String {
        switch self {
        case .invalidFile(let issues): issues.map(\.description).joined(separator: "\n")
        case .setupFailed(let message): "setup failed: \(message)"
        case .targetUnavailable(let message): "target unavailable: \(message)"
        }
    }
}
