import Yams

/// A YAML document as a plain tree that remembers where each value was written, so every problem
/// can be reported with its key path and line. Environment overrides are applied to this tree
/// before it is decoded, which makes them indistinguishable from values written in the file.
public indirect enum ConfigNode: Sendable, Equatable {
    case scalar(String, line: Int?)
    case mapping([(key: String, value: ConfigNode, line: Int?)])
    case sequence([ConfigNode], line: Int?)
    case null(line: Int?)

    public static func == (lhs: ConfigNode, rhs: ConfigNode) -> Bool {
        switch (lhs, rhs) {
        case (.scalar(let a, _), .scalar(let b, _)): return a == b
        case (.sequence(let a, _), .sequence(let b, _)): return a == b
        case (.null, .null): return true
        case (.mapping(let a), .mapping(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    public var line: Int? {
        switch self {
        case .scalar(_, let line), .sequence(_, let line), .null(let line): return line
        case .mapping(let entries): return entries.first?.line.map { max(1, $0) }
        }
    }

    /// Parses YAML text. A syntax error becomes a single issue with the parser's line.
    public static func parse(yaml: String) -> Result<ConfigNode, ConfigIssue> {
        do {
            guard let node = try Yams.compose(yaml: yaml) else { return .success(.mapping([])) }
            guard YAMLExpansionBudget.allows(node) else { return .failure(ConfigIssue("", YAMLExpansionBudget.message)) }
            return .success(ConfigNode(node))
        } catch let error as YamlError {
            return .failure(ConfigIssue("", "YAML syntax error: \(error.summary)", line: error.line))
        } catch {
            return .failure(ConfigIssue("", "YAML syntax error: \(error)"))
        }
    }

    init(_ node: Yams.Node) {
        let line = node.mark?.line
        switch node {
        case .scalar(let scalar):
            // An explicit `~`/`null` or an empty value is "not set", not the string "null".
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                self = .null(line: line)
            } else {
                self = .scalar(scalar.string, line: line)
            }
        case .mapping(let mapping):
            self = .mapping(mapping.map { (key: $0.key.string ?? "\($0.key)", value: ConfigNode($0.value), line: $0.key.mark?.line) })
        case .sequence(let sequence):
            self = .sequence(sequence.map(ConfigNode.init), line: line)
        case .alias:
            self = .null(line: line)
        }
    }

    /// Sets a scalar at `path`, creating mappings on the way (used for environment overrides).
    public func setting(_ value: String, at path: ArraySlice<String>) -> ConfigNode {
        guard let key = path.first else { return .scalar(value, line: nil) }
        var entries: [(key: String, value: ConfigNode, line: Int?)]
        if case .mapping(let existing) = self { entries = existing } else { entries = [] }
        if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index].value = entries[index].value.setting(value, at: path.dropFirst())
        } else {
            entries.append((key: key, value: ConfigNode.null(line: nil).setting(value, at: path.dropFirst()), line: nil))
        }
        return .mapping(entries)
    }

    /// The value at a mapping key, if this is a mapping that has it.
    public subscript(key: String) -> ConfigNode? {
        guard case .mapping(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }
}

extension YamlError {
    var line: Int? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    var summary: String {
        switch self {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _), .composer(let context, let problem, _, _):
            return [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        default:
            return "\(self)"
        }
    }
}
