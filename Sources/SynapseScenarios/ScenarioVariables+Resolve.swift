import SynapseCore

/// Substituting captured values into a step just before it runs: request paths, headers, bodies
/// and multipart fields, fault rules, and every value an expectation compares with.
extension ScenarioVariables {
    func resolve(_ action: Step.Action) throws -> Step.Action {
        switch action {
        case .fault(let mock, let rule): return .fault(mock: mock, rule: try json(rule))
        case .request(let spec): return .request(try resolve(spec))
        case .wait(var spec):
            spec.until = try spec.until.map(resolve)
            return .wait(spec)
        case .load(var spec):
            spec.headers = try spec.headers.map { ($0.0, try text($0.1)) }
            return .load(spec)
        case .clear, .reset, .expect: return action
        }
    }

    func resolve(_ spec: RequestSpec) throws -> RequestSpec {
        var spec = spec
        spec.path = try text(spec.path)
        spec.headers = try spec.headers.map { ($0.0, try text($0.1)) }
        switch spec.body {
        case .json(let value): spec.body = .json(try json(value))
        case .jsonCycle(let values): spec.body = .jsonCycle(try values.map(json))
        case .text(let body): spec.body = .text(try text(body))
        case .jsonFile(let path): spec.body = .jsonFile(try text(path))
        case .multipart(let parts):
            spec.body = .multipart(
                try parts.map { part in
                    var part = part
                    part.filename = try part.filename.map(text)
                    switch part.source {
                    case .value(let value): part.source = .value(try text(value))
                    case .file(let path): part.source = .file(try text(path))
                    case .speech(let words, let voice): part.source = .speech(text: try text(words), voice: try text(voice))
                    case .tone, .random: break
                    }
                    return part
                })
        case .none: break
        }
        spec.during = try spec.during.map { ($0.at, try resolve($0.action)) }
        return spec
    }

    func resolve(_ expectation: Expectation) throws -> Expectation {
        var expectation = expectation
        switch expectation.check {
        case .header(let name, let matcher): expectation.check = .header(name, try resolve(matcher))
        case .json(let path, let matcher): expectation.check = .json(path, try resolve(matcher))
        case .events(var events):
            events.count = try events.count.map(resolve)
            events.last = try events.last.map(resolve)
            events.contains = try events.contains.map(text)
            expectation.check = .events(events)
        case .metric(let series, let matcher): expectation.check = .metric(try text(series), try resolve(matcher))
        case .journal(let mock, var check):
            check.path = try check.path.map(text)
            check.count = try check.count.map(resolve)
            check.paths = try check.paths.map { try $0.map(text) }
            check.order = try check.order.map { try $0.map(text) }
            check.last = try check.last.map(resolve)
            check.each = try check.each.map(resolve)
            expectation.check = .journal(mock: mock, check)
        case .voiceFiles(let present, let absent):
            expectation.check = .voiceFiles(present: try present.map(text), absent: try absent.map(text))
        case .status, .statusMix, .latency, .breaker:
            break
        }
        return expectation
    }

    func resolve(_ check: EntryCheck) throws -> EntryCheck {
        var check = check
        check.fields = try check.fields.map { ($0.0, try resolve($0.1)) }
        return check
    }

    func resolve(_ matcher: Matcher) throws -> Matcher {
        Matcher(
            try matcher.tests.map { test in
                switch test {
                case .equals(let value): .equals(try json(value))
                case .oneOf(let options): .oneOf(try options.map { try json($0) })
                case .contains(let value): .contains(try json(value))
                case .prefix(let prefix): .prefix(try text(prefix))
                case .exists, .greaterOrEqual, .lessOrEqual, .greater, .less, .type: test
                }
            })
    }
}
