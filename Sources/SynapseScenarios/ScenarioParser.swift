import Foundation
import SynapseCore
import Yams

/// Reads `version: 1` scenario files into `Scenario`s, collecting every problem with its file,
/// line and key path (`ScenarioError.invalidFile`).
///
/// ```
/// text ─Yams.compose─▶ Node (with marks) ─▶ SourceNode ─ScenarioParser─▶ Scenario | [ScenarioIssue]
/// ```
public struct ScenarioParser {
    /// The only schema version so far.
    public static let version = 1
    static let topLevelKeys: Set<String> = ["version", "name", "description", "seed", "mocks", "requires", "config", "steps"]
    static let actions = ["fault", "clear", "reset", "request", "wait", "load"]

    var reader: SourceReader
    /// Variables captured by the steps read so far, with the line of their `capture:`.
    var variables: [String: Int] = [:]

    init(file: String) {
        reader = SourceReader(file: file)
    }

    /// Reads a scenario file.
    public static func load(path: String) throws(ScenarioError) -> Scenario {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw .invalidFile([ScenarioIssue(file: path, line: nil, keyPath: "", message: "cannot read the file as UTF-8 text")])
        }
        return try parse(yaml: text, file: path)
    }

    /// Parses scenario text; `file` is only used in messages.
    public static func parse(yaml: String, file: String) throws(ScenarioError) -> Scenario {
        var parser = ScenarioParser(file: file)
        let root: SourceNode
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw ScenarioError.invalidFile([ScenarioIssue(file: file, line: nil, keyPath: "", message: "the file is empty")])
            }
            guard YAMLExpansionBudget.allows(node) else {
                throw ScenarioError.invalidFile([ScenarioIssue(file: file, line: nil, keyPath: "", message: YAMLExpansionBudget.message)])
            }
            root = SourceNode(node)
        } catch let error as ScenarioError {
            throw error
        } catch let error as YamlError {
            throw .invalidFile([ScenarioIssue(file: file, line: error.scenarioLine, keyPath: "", message: "YAML syntax error: \(error)")])
        } catch {
            throw .invalidFile([ScenarioIssue(file: file, line: nil, keyPath: "", message: "YAML syntax error: \(error)")])
        }
        let scenario = parser.scenario(root)
        if !parser.reader.issues.isEmpty { throw .invalidFile(parser.reader.issues) }
        return scenario
    }

    // MARK: Top level

    mutating func scenario(_ root: SourceNode) -> Scenario {
        let entries = reader.mapping(root, at: "", known: Self.topLevelKeys)
        guard case .mapping = root else { return Scenario(name: "", file: reader.file) }
        let value = { (key: String) in entries.first { $0.key == key }?.value }
        if let versionNode = value("version") {
            if let version = reader.int(versionNode, at: "version"), version != Self.version {
                reader.error("version", "unsupported version \(version) (this runner reads version \(Self.version))", versionNode)
            }
        } else {
            reader.error("version", "missing (write `version: 1` at the top)", root)
        }
        var scenario = Scenario(name: reader.string(value("name"), at: "name") ?? "", file: reader.file)
        if value("name") == nil { reader.error("name", "missing", root) }
        scenario.description = reader.string(value("description"), at: "description") ?? ""
        if let seedNode = value("seed"), let text = reader.string(seedNode, at: "seed") {
            if let seed = UInt64(text) { scenario.seed = seed } else { reader.error("seed", "expected a whole number ≥ 0, got '\(text)'", seedNode) }
        }
        if let mocksNode = value("mocks") {
            let names = reader.strings(mocksNode, at: "mocks")
            // Only the form is checked here: which mocks exist is the mock set's to say, when the
            // scenario starts (an unknown name then fails its setup).
            for (index, name) in names.enumerated() where BackendID(name) == nil {
                reader.error("mocks[\(index)]", "'\(name)' is not a mock name (lowercase letters, digits and '-')", mocksNode)
            }
            scenario.mocks = names
        }
        if let requiresNode = value("requires") {
            for (index, name) in reader.strings(requiresNode, at: "requires").enumerated() {
                guard let capability = MockSetCapabilities.named.first(where: { $0.0 == name })?.1 else {
                    let known = MockSetCapabilities.named.map(\.0).joined(separator: ", ")
                    reader.error("requires[\(index)]", "unknown capability '\(name)' (expected one of: \(known))", requiresNode)
                    continue
                }
                scenario.requires.insert(capability)
            }
        }
        if let config = value("config") {
            guard case .mapping = config else {
                reader.error("config", "expected a mapping of backends.yaml settings", config)
                return scenario
            }
            scenario.config = config.json
            scenario.configLine = entries.first { $0.key == "config" }?.line ?? config.line
        }
        guard let stepsNode = value("steps") else {
            reader.error("steps", "missing: a scenario needs at least one step", root)
            return scenario
        }
        guard case .sequence(let items, _) = stepsNode else {
            reader.error("steps", "expected a list of steps", stepsNode)
            return scenario
        }
        // Without `mocks:` the scenario uses whatever the mock set serves: any name goes.
        let known = scenario.mocks.map(Set.init)
        for (index, item) in items.enumerated() {
            if let step = step(item, at: "steps[\(index)]", mocks: known) { scenario.steps.append(step) }
        }
        return scenario
    }

    // MARK: Steps

    /// Whether `name` is not among the scenario's `mocks:` (never, when it lists none: then
    /// the mock set decides, at run time).
    static func isUnknown(_ name: String, in mocks: Set<String>?) -> Bool {
        mocks.map { !$0.contains(name) } ?? false
    }

    mutating func step(_ node: SourceNode, at path: String, mocks: Set<String>?) -> Step? {
        let entries = reader.mapping(node, at: path, known: Set(Self.actions + ["expect", "capture", "note"]))
        guard case .mapping = node else { return nil }
        let actionKeys = entries.filter { Self.actions.contains($0.key) }
        guard actionKeys.count <= 1 else {
            reader.error(path, "a step has one action, found: \(actionKeys.map(\.key).joined(separator: ", "))", node)
            return nil
        }
        let expectNode = entries.first { $0.key == "expect" }?.value
        let captureEntry = entries.first { $0.key == "capture" }
        // The action may use what earlier steps captured; the step's own expectations may also
        // use what this step captures, since they are checked after its response is in.
        let action: Step.Action?
        if let (key, value, _) = actionKeys.first {
            let actionPath = "\(path).\(key)"
            checkReferences(in: value, at: actionPath)
            switch key {
            case "request":
                var spec = request(value, at: actionPath, mocks: mocks)
                if let captureEntry {
                    let captures = captures(captureEntry.value, at: "\(path).capture")
                    spec?.captures = captures
                    for capture in captures { variables[capture.name] = captureEntry.line }
                }
                action = spec.map(Step.Action.request)
            case "wait": action = wait(value, at: actionPath, mocks: mocks).map(Step.Action.wait)
            case "load": action = load(value, at: actionPath, mocks: mocks).map(Step.Action.load)
            default: action = controlAction(key, value, at: actionPath, mocks: mocks)
            }
        } else {
            action = expectNode == nil ? nil : .expect
        }
        if let captureEntry, actionKeys.first?.key != "request" {
            reader.error("\(path).capture", "only a request step can capture values from its response", line: captureEntry.line)
        }
        if let expectNode { checkReferences(in: expectNode, at: "\(path).expect") }
        let checks = expectNode.map { expectations($0, at: "\(path).expect", mocks: mocks) } ?? []
        guard let action else {
            if actionKeys.isEmpty { reader.error(path, "a step needs one of: \((Self.actions + ["expect"]).joined(separator: ", "))", node) }
            return nil
        }
        return Step(line: node.line, keyPath: path, action: action, expectations: checks)
    }

    /// `fault`, `clear` or `reset`: the actions on the mocks control API.
    mutating func controlAction(_ key: String, _ value: SourceNode, at actionPath: String, mocks: Set<String>?) -> Step.Action? {
        switch key {
        case "fault":
            return fault(value, at: actionPath, mocks: mocks)
        case "clear":
            if case .scalar(let text, _, _) = value, text == "all" { return .clear(mocks: nil) }
            let names = reader.strings(value, at: actionPath)
            for name in names where Self.isUnknown(name, in: mocks) { reader.error(actionPath, "unknown mock '\(name)'", value) }
            return .clear(mocks: names)
        default:
            let name = reader.string(value, at: actionPath)
            if let name, Self.isUnknown(name, in: mocks) { reader.error(actionPath, "unknown mock '\(name)'", value) }
            return name.map { .reset(mock: $0) }
        }
    }

    mutating func fault(_ node: SourceNode, at path: String, mocks: Set<String>?) -> Step.Action? {
        let entries = reader.mapping(node, at: path)
        guard let mockNode = entries.first(where: { $0.key == "mock" })?.value else {
            reader.error("\(path).mock", "missing: which mock gets the fault", node)
            return nil
        }
        guard let mock = reader.string(mockNode, at: "\(path).mock") else { return nil }
        if let mocks, !mocks.contains(mock) {
            reader.error("\(path).mock", "unknown mock '\(mock)' (this scenario has: \(mocks.sorted().joined(separator: ", ")))", mockNode)
        }
        let rule = JSONValue.object(entries.filter { $0.key != "mock" }.map { ($0.key, $0.value.json) })
        // The mocks' own decoder is the schema: whatever it accepts, the control API accepts.
        do {
            _ = try JSONDecoder().decode(FaultRule.self, from: Data(rule.text().utf8))
        } catch let DecodingError.dataCorrupted(context) {
            reader.error(path, context.debugDescription, node)
        } catch let DecodingError.keyNotFound(key, _) {
            reader.error("\(path).\(key.stringValue)", "missing", node)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let key = context.codingPath.last?.stringValue ?? ""
            let line = entries.first { $0.key == key }?.line ?? node.line
            reader.error(key.isEmpty ? path : "\(path).\(key)", context.debugDescription, line: line)
        } catch {
            reader.error(path, "invalid fault: \(error)", node)
        }
        return .fault(mock: mock, rule: rule)
    }

    mutating func wait(_ node: SourceNode, at path: String, mocks: Set<String>?) -> WaitSpec? {
        if case .scalar = node {
            return reader.duration(node, at: path).map { WaitSpec(duration: $0) }
        }
        let entries = reader.mapping(node, at: path, known: ["for", "until", "timeout"])
        let value = { (key: String) in entries.first { $0.key == key }?.value }
        var spec = WaitSpec()
        spec.duration = value("for").flatMap { reader.duration($0, at: "\(path).for") }
        if let until = value("until") { spec.until = expectations(until, at: "\(path).until", mocks: mocks) }
        if let timeout = value("timeout").flatMap({ reader.duration($0, at: "\(path).timeout") }) { spec.timeout = timeout }
        if spec.duration == nil, spec.until.isEmpty { reader.error(path, "needs a duration (`wait: 30s`) or `until:`", node) }
        return spec
    }
}

extension YamlError {
    /// The 1-based line of a syntax error, when the parser knows it.
    var scenarioLine: Int? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }
}
