import SynapseCore

/// `expect:` and `wait: until:` mappings.
extension ScenarioParser {
    static let expectKeys: Set<String> = [
        "status", "statusMix", "headers", "json", "events", "latency", "breaker", "metrics", "journal", "voiceFiles", "of",
    ]
    static let matcherKeys: Set<String> = ["equals", "exists", "oneOf", "gte", "lte", "gt", "lt", "contains", "prefix", "type"]
    static let breakerStates: Set<String> = ["closed", "open", "halfOpen"]
    static let journalKeys: Set<String> = ["path", "method", "count", "paths", "order", "neverTwiceInARow", "last", "each"]

    mutating func expectations(_ node: SourceNode, at path: String, mocks: Set<String>?) -> [Expectation] {
        let entries = reader.mapping(node, at: path, known: Self.expectKeys)
        let of = reader.string(entries.first { $0.key == "of" }?.value, at: "\(path).of")
        var result: [Expectation] = []
        func add(_ line: Int, _ keyPath: String, _ check: Expectation.Check) {
            result.append(Expectation(line: line, keyPath: keyPath, check: check, of: of))
        }
        for (key, value, line) in entries {
            let keyPath = "\(path).\(key)"
            switch key {
            case "status":
                let codes = reader.strings(value, at: keyPath).compactMap { text -> Int? in
                    guard let code = Int(text), (100...599).contains(code) else {
                        reader.error(keyPath, "expected an HTTP status, got '\(text)'", value)
                        return nil
                    }
                    return code
                }
                add(line, keyPath, .status(codes))
            case "statusMix":
                var mix: [Int: Int] = [:]
                for entry in reader.mapping(value, at: keyPath) {
                    guard let code = Int(entry.key), (100...599).contains(code) else {
                        reader.error("\(keyPath).\(entry.key)", "expected an HTTP status as key", line: entry.line)
                        continue
                    }
                    mix[code] = reader.int(entry.value, at: "\(keyPath).\(entry.key)", range: 0...Int.max)
                }
                add(line, keyPath, .statusMix(mix))
            case "headers":
                for entry in reader.mapping(value, at: keyPath) {
                    add(entry.line, "\(keyPath).\(entry.key)", .header(entry.key, matcher(entry.value, at: "\(keyPath).\(entry.key)")))
                }
            case "json":
                for entry in reader.mapping(value, at: keyPath) {
                    add(entry.line, "\(keyPath).\(entry.key)", .json(entry.key, matcher(entry.value, at: "\(keyPath).\(entry.key)")))
                }
            case "events":
                add(line, keyPath, .events(events(value, at: keyPath)))
            case "latency":
                let bounds = reader.mapping(value, at: keyPath, known: ["min", "max"])
                let field = { (key: String) in bounds.first { $0.key == key }?.value }
                add(
                    line, keyPath,
                    .latency(
                        min: reader.duration(field("min"), at: "\(keyPath).min"),
                        max: reader.duration(field("max"), at: "\(keyPath).max")))
            case "breaker":
                for entry in reader.mapping(value, at: keyPath) {
                    let entryPath = "\(keyPath).\(entry.key)"
                    if BackendID(entry.key) == nil {
                        reader.error(entryPath, "'\(entry.key)' is not a backend name", line: entry.line)
                    }
                    guard let state = reader.string(entry.value, at: entryPath) else { continue }
                    if !Self.breakerStates.contains(state) {
                        reader.error(entryPath, "unknown breaker state '\(state)' (expected one of: closed, open, halfOpen)", entry.value)
                    }
                    add(entry.line, entryPath, .breaker(backend: entry.key, state: state))
                }
            case "metrics":
                for entry in reader.mapping(value, at: keyPath) {
                    add(entry.line, "\(keyPath).\(entry.key)", .metric(entry.key, matcher(entry.value, at: "\(keyPath).\(entry.key)")))
                }
            case "journal":
                for entry in reader.mapping(value, at: keyPath) {
                    let entryPath = "\(keyPath).\(entry.key)"
                    if Self.isUnknown(entry.key, in: mocks) { reader.error(entryPath, "unknown mock '\(entry.key)'", line: entry.line) }
                    add(entry.line, entryPath, .journal(mock: entry.key, journal(entry.value, at: entryPath)))
                }
            case "voiceFiles":
                let lists = reader.mapping(value, at: keyPath, known: ["present", "absent"])
                let field = { (key: String) in lists.first { $0.key == key }?.value }
                add(
                    line, keyPath,
                    .voiceFiles(
                        present: reader.strings(field("present"), at: "\(keyPath).present"),
                        absent: reader.strings(field("absent"), at: "\(keyPath).absent")))
            default:
                break  // `of`, and unknown keys already reported
            }
        }
        return result
    }

    mutating func matcher(_ node: SourceNode, at path: String) -> Matcher {
        guard case .mapping(let entries, _) = node, !entries.isEmpty, entries.allSatisfy({ Self.matcherKeys.contains($0.key) }) else {
            if case .mapping(let entries, _) = node, let odd = entries.first(where: { !Self.matcherKeys.contains($0.key) }),
                entries.contains(where: { Self.matcherKeys.contains($0.key) })
            {
                reader.error("\(path).\(odd.key)", "unknown comparison (expected one of: \(Self.matcherKeys.sorted().joined(separator: ", ")))", line: odd.line)
            }
            return .equals(node.json)
        }
        var tests: [Matcher.Test] = []
        for (key, value, _) in entries {
            let keyPath = "\(path).\(key)"
            switch key {
            case "equals": tests.append(.equals(value.json))
            case "exists": tests.append(.exists(reader.bool(value, at: keyPath) ?? true))
            case "oneOf": tests.append(.oneOf(reader.list(value, at: keyPath).map(\.json)))
            case "gte": reader.double(value, at: keyPath).map { tests.append(.greaterOrEqual($0)) }
            case "lte": reader.double(value, at: keyPath).map { tests.append(.lessOrEqual($0)) }
            case "gt": reader.double(value, at: keyPath).map { tests.append(.greater($0)) }
            case "lt": reader.double(value, at: keyPath).map { tests.append(.less($0)) }
            case "contains": tests.append(.contains(value.json))
            case "prefix": reader.string(value, at: keyPath).map { tests.append(.prefix($0)) }
            default: reader.string(value, at: keyPath).map { tests.append(.type($0)) }
            }
        }
        return Matcher(tests)
    }

    mutating func events(_ node: SourceNode, at path: String) -> EventCheck {
        let entries = reader.mapping(node, at: path, known: ["count", "last", "contains", "complete", "allJSON"])
        let value = { (key: String) in entries.first { $0.key == key }?.value }
        return EventCheck(
            count: value("count").map { matcher($0, at: "\(path).count") },
            last: value("last").map { matcher($0, at: "\(path).last") },
            contains: reader.string(value("contains"), at: "\(path).contains"),
            complete: reader.bool(value("complete"), at: "\(path).complete"),
            allJSON: reader.bool(value("allJSON"), at: "\(path).allJSON"))
    }

    mutating func journal(_ node: SourceNode, at path: String) -> JournalCheck {
        let entries = reader.mapping(node, at: path, known: Self.journalKeys)
        let value = { (key: String) in entries.first { $0.key == key }?.value }
        var check = JournalCheck()
        check.path = reader.string(value("path"), at: "\(path).path")
        check.method = reader.string(value("method"), at: "\(path).method")?.uppercased()
        check.count = value("count").map { matcher($0, at: "\(path).count") }
        check.paths = value("paths").map { reader.strings($0, at: "\(path).paths") }
        check.order = value("order").map { reader.strings($0, at: "\(path).order") }
        check.neverTwiceInARow = reader.string(value("neverTwiceInARow"), at: "\(path).neverTwiceInARow")
        check.last = value("last").map { entryCheck($0, at: "\(path).last") }
        check.each = value("each").map { entryCheck($0, at: "\(path).each") }
        return check
    }

    mutating func entryCheck(_ node: SourceNode, at path: String) -> EntryCheck {
        var check = EntryCheck()
        for (key, value, _) in reader.mapping(node, at: path) {
            if key == "sameBodyAs" {
                check.sameBodyAs = reader.string(value, at: "\(path).sameBodyAs")
            } else {
                check.fields.append((key, matcher(value, at: "\(path).\(key)")))
            }
        }
        return check
    }
}
