/// Checking `${name}` references while reading: each must name a variable captured by an
/// earlier step (or by this step, in its own `expect:`).
extension ScenarioParser {
    /// Reports malformed references and unknown variables in every scalar under `node`, each at
    /// its own line. Mapping keys are not substituted and not checked.
    mutating func checkReferences(in node: SourceNode, at path: String) {
        switch node {
        case .scalar(let text, _, let line):
            guard text.contains("${") else { return }
            switch ScenarioVariables.references(in: text) {
            case .failure(let problem):
                reader.error(path, problem.message, line: line)
            case .success(let references):
                for reference in references where variables[reference.name] == nil {
                    let known = variables.keys.sorted()
                    let hint =
                        known.isEmpty
                        ? "no step before captures any (add `capture:` to a request step)"
                        : "captured so far: \(known.joined(separator: ", "))"
                    reader.error(path, "unknown variable '\(reference.name)' (\(hint))", line: line)
                }
            }
        case .mapping(let entries, _):
            for entry in entries { checkReferences(in: entry.value, at: "\(path).\(entry.key)") }
        case .sequence(let items, _):
            for (index, item) in items.enumerated() { checkReferences(in: item, at: "\(path)[\(index)]") }
        case .null:
            break
        }
    }
}
