import SynapseCore

/// `request:` steps.
extension ScenarioParser {
    static let requestKeys: Set<String> = [
        "method", "path", "headers", "json", "jsonCycle", "jsonFile", "body", "multipart", "count", "concurrency", "stream", "as", "timeout", "during",
    ]
    static let captureHelp = "json.PATH, header.NAME, status, sent.PART.sha256 or sent.sha256"
    static let partKeys: Set<String> = ["name", "value", "file", "tone", "random", "speech", "filename", "contentType"]

    mutating func request(_ node: SourceNode, at path: String, mocks: Set<String>?) -> RequestSpec? {
        let entries = reader.mapping(node, at: path, known: Self.requestKeys)
        guard case .mapping = node else { return nil }
        let value = { (key: String) in entries.first { $0.key == key }?.value }
        guard let target = reader.string(value("path"), at: "\(path).path") else {
            reader.error("\(path).path", "missing: the gateway path to call", node)
            return nil
        }
        if !target.hasPrefix("/") { reader.error("\(path).path", "must start with /", value("path")) }
        var spec = RequestSpec(path: target)
        let bodies = ["json", "jsonCycle", "jsonFile", "body", "multipart"].filter { value($0) != nil }
        if bodies.count > 1 { reader.error(path, "give one body: \(bodies.joined(separator: " or "))", node) }
        spec.method = (reader.string(value("method"), at: "\(path).method") ?? (bodies.isEmpty ? "GET" : "POST")).uppercased()
        for header in reader.mapping(value("headers"), at: "\(path).headers") {
            if !HTTPFieldName.isValid(header.key) { reader.error("\(path).headers.\(header.key)", "not a header name", header.value) }
            if let text = reader.string(header.value, at: "\(path).headers.\(header.key)") { spec.headers.append((header.key, text)) }
        }
        if let json = value("json") {
            spec.body = .json(json.json)
        } else if let cycle = value("jsonCycle") {
            let items = reader.list(cycle, at: "\(path).jsonCycle").map(\.json)
            if items.isEmpty { reader.error("\(path).jsonCycle", "give at least one JSON body", cycle) }
            spec.body = .jsonCycle(items)
        } else if let file = reader.string(value("jsonFile"), at: "\(path).jsonFile") {
            spec.body = .jsonFile(file)
        } else if let text = reader.string(value("body"), at: "\(path).body") {
            spec.body = .text(text)
        } else if let parts = value("multipart") {
            spec.body = .multipart(
                reader.list(parts, at: "\(path).multipart").enumerated().compactMap { index, part in
                    self.part(part, at: "\(path).multipart[\(index)]")
                })
        }
        spec.count = reader.int(value("count"), at: "\(path).count", range: 1...100_000) ?? 1
        spec.concurrency = reader.int(value("concurrency"), at: "\(path).concurrency", range: 1...1_000) ?? 1
        spec.stream = reader.bool(value("stream"), at: "\(path).stream") ?? false
        spec.label = reader.string(value("as"), at: "\(path).as")
        if let timeout = reader.duration(value("timeout"), at: "\(path).timeout") { spec.timeout = timeout }
        spec.during = during(value("during"), at: "\(path).during", mocks: mocks)
        return spec
    }

    /// `during:` — control actions at times on the scenario clock, counted from the step's start.
    mutating func during(_ node: SourceNode?, at path: String, mocks: Set<String>?) -> [(at: Duration, action: Step.Action)] {
        var timed: [(at: Duration, action: Step.Action)] = []
        for (index, item) in reader.list(node, at: path).enumerated() {
            let itemPath = "\(path)[\(index)]"
            let entries = reader.mapping(item, at: itemPath, known: ["at", "fault", "clear", "reset"])
            guard let at = reader.duration(entries.first(where: { $0.key == "at" })?.value, at: "\(itemPath).at") else {
                reader.error("\(itemPath).at", "missing: when, e.g. `at: 1200ms`", item)
                continue
            }
            let actions = entries.filter { $0.key != "at" }
            guard actions.count == 1, let (key, node, _) = actions.first else {
                reader.error(itemPath, "needs exactly one of fault, clear, reset", item)
                continue
            }
            if let action = controlAction(key, node, at: "\(itemPath).\(key)", mocks: mocks) { timed.append((at, action)) }
        }
        return timed
    }

    /// `capture: {voice_a: json.voice_id}` on a request step (a sibling of `request:`).
    mutating func captures(_ node: SourceNode, at path: String) -> [Capture] {
        var captures: [Capture] = []
        for entry in reader.mapping(node, at: path) {
            let entryPath = "\(path).\(entry.key)"
            if !Capture.isValidName(entry.key) {
                reader.error(entryPath, "'\(entry.key)' is not a variable name (a letter or _, then letters, digits or _)", line: entry.line)
            }
            guard let text = reader.string(entry.value, at: entryPath) else { continue }
            guard let source = Capture.Source(text) else {
                reader.error(entryPath, "unknown capture source '\(text)' (expected one of: \(Self.captureHelp))", entry.value)
                continue
            }
            captures.append(Capture(name: entry.key, source: source))
        }
        return captures
    }

    mutating func part(_ node: SourceNode, at path: String) -> RequestSpec.Part? {
        let entries = reader.mapping(node, at: path, known: Self.partKeys)
        guard case .mapping = node else { return nil }
        let value = { (key: String) in entries.first { $0.key == key }?.value }
        guard let name = reader.string(value("name"), at: "\(path).name") else {
            reader.error("\(path).name", "missing: the form field name", node)
            return nil
        }
        let sources = ["value", "file", "tone", "random", "speech"].filter { value($0) != nil }
        guard sources.count == 1 else {
            reader.error(path, "give exactly one of value, file, tone, random, speech", node)
            return nil
        }
        let source: RequestSpec.Part.Source
        switch sources[0] {
        case "value": source = .value(reader.string(value("value"), at: "\(path).value") ?? "")
        case "file": source = .file(reader.string(value("file"), at: "\(path).file") ?? "")
        case "speech":
            let speech = reader.mapping(value("speech"), at: "\(path).speech", known: ["text", "voice"])
            let field = { (key: String) in speech.first { $0.key == key }?.value }
            guard let text = reader.string(field("text"), at: "\(path).speech.text"), !text.isEmpty else {
                reader.error("\(path).speech.text", "missing: the words to speak", value("speech"))
                return nil
            }
            source = .speech(text: text, voice: reader.string(field("voice"), at: "\(path).speech.voice") ?? "Alice.wav")
        case "random":
            guard let size = reader.size(value("random"), at: "\(path).random") else { return nil }
            source = .random(bytes: size)
        default:
            let tone = reader.mapping(value("tone"), at: "\(path).tone", known: ["seconds", "hz"])
            let field = { (key: String) in tone.first { $0.key == key }?.value }
            let seconds = reader.double(field("seconds"), at: "\(path).tone.seconds") ?? 1
            if seconds <= 0 || seconds > 3600 { reader.error("\(path).tone.seconds", "must be between 0 and 3600", field("seconds")) }
            source = .tone(seconds: seconds, hertz: reader.double(field("hz"), at: "\(path).tone.hz") ?? 220)
        }
        var part = RequestSpec.Part(name: name, source: source)
        part.filename = reader.string(value("filename"), at: "\(path).filename")
        part.contentType = reader.string(value("contentType"), at: "\(path).contentType")
        return part
    }
}
