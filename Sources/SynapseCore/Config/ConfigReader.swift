/// Reads typed values out of a `ConfigNode`, collecting every problem (with key path and line)
/// instead of stopping at the first one.
struct ConfigReader {
    private(set) var issues: [ConfigIssue] = []

    mutating func error(_ path: String, _ message: String, _ node: ConfigNode?) {
        issues.append(ConfigIssue(path, message, line: node?.line))
    }

    mutating func error(_ path: String, _ message: String, line: Int?) {
        issues.append(ConfigIssue(path, message, line: line))
    }

    mutating func add(_ issue: ConfigIssue) {
        issues.append(issue)
    }

    mutating func warning(_ path: String, _ message: String, _ node: ConfigNode?) {
        issues.append(ConfigIssue(path, message, severity: .warning, line: node?.line))
    }

    /// The entries of a mapping; reports keys outside `known` (when given) as errors.
    mutating func mapping(_ node: ConfigNode?, at path: String, known: Set<String>? = nil) -> [(key: String, value: ConfigNode, line: Int?)] {
        guard let node else { return [] }
        switch node {
        case .null: return []
        case .mapping(let entries):
            var seen = Set<String>()
            for entry in entries {
                let entryPath = path.isEmpty ? entry.key : "\(path).\(entry.key)"
                if !seen.insert(entry.key).inserted {
                    issues.append(ConfigIssue(entryPath, "duplicate key", line: entry.line))
                }
                if let known, !known.contains(entry.key) {
                    let hint = known.sorted().joined(separator: ", ")
                    issues.append(ConfigIssue(entryPath, "unknown key (expected one of: \(hint))", line: entry.line))
                }
            }
            return entries
        default:
            error(path, "expected a mapping", node)
            return []
        }
    }

    mutating func string(_ node: ConfigNode?, at path: String) -> String? {
        guard let node else { return nil }
        switch node {
        case .null: return nil
        case .scalar(let text, _): return text
        default:
            error(path, "expected a single value", node)
            return nil
        }
    }

    mutating func int(_ node: ConfigNode?, at path: String, range: ClosedRange<Int>) -> Int? {
        guard let text = string(node, at: path) else { return nil }
        guard let value = Int(text) else {
            error(path, "expected a whole number, got '\(text)'", node)
            return nil
        }
        guard range.contains(value) else {
            error(path, "must be between \(range.lowerBound) and \(range.upperBound), got \(value)", node)
            return nil
        }
        return value
    }

    mutating func duration(_ node: ConfigNode?, at path: String, allowZero: Bool = false) -> Duration? {
        guard let text = string(node, at: path) else { return nil }
        guard let value = ConfigScalars.duration(text) else {
            error(path, "bad duration '\(text)' (use e.g. 500ms, 30s, 5m)", node)
            return nil
        }
        if !allowZero && value == .zero {
            error(path, "must be longer than 0", node)
            return nil
        }
        return value
    }

    mutating func size(_ node: ConfigNode?, at path: String) -> Int? {
        guard let text = string(node, at: path) else { return nil }
        guard let value = ConfigScalars.size(text), value > 0 else {
            error(path, "bad size '\(text)' (use e.g. 512KiB, 10MiB, 1GiB)", node)
            return nil
        }
        return value
    }

    mutating func list(_ node: ConfigNode?, at path: String) -> [ConfigNode]? {
        guard let node else { return nil }
        switch node {
        case .null: return nil
        case .sequence(let items, _): return items
        // A scalar is read as a comma-separated list, which is how environment overrides spell lists.
        case .scalar(let text, let line):
            return text.split(separator: ",").map { .scalar($0.trimmingWhitespace(), line: line) }
        default:
            error(path, "expected a list", node)
            return nil
        }
    }

    mutating func profile(_ node: ConfigNode?, at path: String) -> TimeoutProfile? {
        guard let text = string(node, at: path) else { return nil }
        guard let profile = TimeoutProfile(rawValue: text) else {
            let names = TimeoutProfile.allCases.map(\.rawValue).joined(separator: ", ")
            error(path, "unknown timeout profile '\(text)' (expected one of: \(names))", node)
            return nil
        }
        return profile
    }
}
