import SynapseCore
import Yams

/// A YAML node that remembers the line it was written on, so every problem in a scenario can be
/// reported with its file, line and key path. Built from Yams' composed node tree (its marks).
indirect enum SourceNode: Sendable {
    case scalar(String, plain: Bool, line: Int)
    case mapping([(key: String, value: SourceNode, line: Int)], line: Int)
    case sequence([SourceNode], line: Int)
    case null(line: Int)

    init(_ node: Yams.Node) {
        // Yams marks are 1-based lines already.
        let line = node.mark?.line ?? 0
        switch node {
        case .scalar(let scalar):
            let plain = scalar.style == .plain
            if plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                self = .null(line: line)
            } else {
                self = .scalar(scalar.string, plain: plain, line: line)
            }
        case .mapping(let mapping):
            self = .mapping(
                mapping.map { (key: $0.key.string ?? "\($0.key)", value: SourceNode($0.value), line: $0.key.mark?.line ?? line) },
                line: line)
        case .sequence(let sequence):
            self = .sequence(sequence.map(SourceNode.init), line: line)
        case .alias:
            self = .null(line: line)
        }
    }

    var line: Int {
        switch self {
        case .scalar(_, _, let line), .mapping(_, let line), .sequence(_, let line), .null(let line): line
        }
    }

    /// The value as JSON: plain scalars that read as booleans or numbers become those, quoted
    /// scalars stay strings, mappings keep their key order.
    var json: JSONValue {
        switch self {
        case .null: return .null
        case .scalar(let text, let plain, _):
            guard plain else { return .string(text) }
            switch text {
            case "true", "True", "TRUE": return .bool(true)
            case "false", "False", "FALSE": return .bool(false)
            default:
                // Only plain decimal numbers: `0x1F`, `1_000` and `.inf` stay text.
                if text.allSatisfy({ "+-0123456789.eE".contains($0) }) {
                    if let number = Int(text) { return .int(number) }
                    if let number = Double(text) { return .double(number) }
                }
                return .string(text)
            }
        case .sequence(let items, _): return .array(items.map(\.json))
        case .mapping(let entries, _): return .object(entries.map { ($0.key, $0.value.json) })
        }
    }

    /// The value at a mapping key.
    subscript(key: String) -> SourceNode? {
        guard case .mapping(let entries, _) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }
}
