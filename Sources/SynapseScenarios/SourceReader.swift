import SynapseCore

/// Reads typed values out of `SourceNode`s, collecting every problem with file, line and key path.
struct SourceReader {
    let file: String
    private(set) var issues: [ScenarioIssue] = []

    init(file: String) { self.file = file }

    mutating func error(_ path: String, _ message: String, _ node: SourceNode?) {
        issues.append(ScenarioIssue(file: file, line: node?.line, keyPath: path, message: message))
    }

    mutating func error(_ path: String, _ message: String, line: Int?) {
        issues.append(ScenarioIssue(file: file, line: line, keyPath: path, message: message))
    }

    /// The entries of a mapping; keys outside `known` (when given) and duplicates are errors.
    mutating func mapping(_ node: SourceNode?, at path: String, known: Set<String>? = nil) -> [(key: String, value: SourceNode, line: Int)] {
        guard let node else { return [] }
        switch node {
        case .null: return []
        case .mapping(let entries, _):
            var seen = Set<String>()
            for entry in entries {
                let entryPath = path.isEmpty ? entry.key : "\(path).\(entry.key)"
                if !seen.insert(entry.key).inserted { error(entryPath, "duplicate key", line: entry.line) }
                if let known, !known.contains(entry.key) {
                    error(entryPath, "unknown key (expected one of: \(known.sorted().joined(separator: ", ")))", line: entry.line)
                }
            }
            return entries
        default:
            error(path, "expected a mapping", node)
            return []
        }
    }

    mutating func string(_ node: SourceNode?, at path: String) -> String? {
        guard let node else { return nil }
        switch node {
        case .null: return nil
        case .scalar(let text, _, _): return text
        default:
            error(path, "expected a single value", node)
            return nil
        }
    }

    mutating func int(_ node: SourceNode?, at path: String, range: ClosedRange<Int> = Int.min...Int.max) -> Int? {
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

    mutating func double(_ node: SourceNode?, at path: String) -> Double? {
        guard let text = string(node, at: path) else { return nil }
        guard let value = Double(text), value.isFinite else {
            error(path, "expected a number, got '\(text)'", node)
            return nil
        }
        return value
    }

    mutating func bool(_ node: SourceNode?, at path: String) -> Bool? {
        guard let text = string(node, at: path) else { return nil }
        switch text.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            error(path, "expected true or false, got '\(text)'", node)
            return nil
        }
    }

    /// `500ms`, `30s`, `5m` (Core's notation).
    mutating func duration(_ node: SourceNode?, at path: String) -> Duration? {
        guard let text = string(node, at: path) else { return nil }
        guard let value = ConfigScalars.duration(text) else {
            error(path, "bad duration '\(text)' (use e.g. 500ms, 30s, 5m)", node)
            return nil
        }
        return value
    }

    /// `512`, `64KiB`, `20MiB` (Core's notation).
    mutating func size(_ node: SourceNode?, at path: String) -> Int? {
        guard let text = string(node, at: path) else { return nil }
        guard let value = ConfigScalars.size(text) else {
            error(path, "bad size '\(text)' (use e.g. 512KiB, 20MiB)", node)
            return nil
        }
        return value
    }

    /// A list of scalars; a single scalar is a one-element list.
    mutating func strings(_ node: SourceNode?, at path: String) -> [String] {
        guard let node else { return [] }
        switch node {
        case .null: return []
        case .scalar(let text, _, _): return [text]
        case .sequence(let items, _):
            return items.enumerated().compactMap { index, item in string(item, at: "\(path)[\(index)]") }
        case .mapping:
            error(path, "expected a list", node)
            return []
        }
    }

    /// A list of nodes; anything else is an error.
    mutating func list(_ node: SourceNode?, at path: String) -> [SourceNode] {
        guard let node else { return [] }
        switch node {
        case .null: return []
        case .sequence(let items, _): return items
        default:
            error(path, "expected a list", node)
            return []
        }
    }
}
