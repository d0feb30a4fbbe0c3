import Foundation
import SynapseCore

/// Evaluating expectations: responses from memory, gateway and mock state over HTTP.
extension StepExecution {
    func evaluate(_ expectation: Expectation, own: Sent?) async throws -> CheckResult {
        var result = CheckResult(line: expectation.line, keyPath: expectation.keyPath, expected: "", observed: "", passed: false)
        if expectation.needsResponses {
            let sent: Sent?
            if let label = expectation.of { sent = labelled[label] } else { sent = own ?? last }
            guard let sent, !sent.observations.isEmpty else {
                result.expected = "responses to check"
                result.observed = expectation.of.map { "no request labelled '\($0)'" } ?? "no request sent yet"
                return result
            }
            (result.expected, result.observed, result.passed) = Self.check(expectation.check, sent.observations)
            return result
        }
        switch expectation.check {
        case .breaker(let backend, let state):
            let answer = try await calls.json("GET", "\(target.gatewayURL)/admin/breakers")
            let seen = answer.json?["breakers"]?[backend]?["state"]?.stringValue ?? "no breaker (status \(answer.status))"
            (result.expected, result.observed, result.passed) = (state, seen, seen == state)
        case .metric(let series, let matcher):
            let value = MetricSeries.sum(of: series, in: try await calls.text("\(target.gatewayURL)/metrics"))
            let observed = JSONValue.number(value ?? 0)
            (result.expected, result.observed, result.passed) = (
                matcher.description, value == nil ? "no such series (0)" : observed.text(),
                matcher.matches(observed)
            )
        case .journal(let mock, let check):
            let entries: [JSONValue]
            do {
                entries = try await target.mocks.journal(of: mock)
            } catch let refusal as MockSetRefusal {
                throw ScenarioError.targetUnavailable(refusal.description)
            }
            (result.expected, result.observed, result.passed) = journal(check, entries)
        case .voiceFiles(let present, let absent):
            guard let root = target.voiceLibraryDir else {
                (result.expected, result.observed) = ("voice library files", "the voice library is not on this machine (target mode)")
                return result
            }
            let exists = { (path: String) in FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent(path)) }
            let missing = present.filter { !exists($0) }
            let extra = absent.filter(exists)
            result.expected = (present.map { "\($0) present" } + absent.map { "\($0) absent" }).joined(separator: ", ")
            result.observed =
                missing.isEmpty && extra.isEmpty
                ? "as expected"
                : (missing.map { "\($0) missing" } + extra.map { "\($0) present" }).joined(separator: ", ")
            result.passed = missing.isEmpty && extra.isEmpty
        default:
            break
        }
        return result
    }

    // MARK: Responses

    /// (expected, observed, passed) for a response check over every observation.
    static func check(_ check: Expectation.Check, _ observations: [Observation]) -> (String, String, Bool) {
        switch check {
        case .status(let codes):
            let expected = codes.map(String.init).joined(separator: " or ")
            return (expected, mix(observations), observations.allSatisfy { codes.contains($0.status) })
        case .statusMix(let wanted):
            let expected = wanted.keys.sorted().map { "\($0) ×\(wanted[$0]!)" }.joined(separator: ", ")
            var seen: [Int: Int] = [:]
            for observation in observations { seen[observation.status, default: 0] += 1 }
            let passed = seen.filter { $0.value > 0 } == wanted.filter { $0.value > 0 }
            return (expected, mix(observations), passed)
        case .header(let name, let matcher):
            return each(observations, expected: "\(name) \(matcher)") { observation in
                let value = observation.header(name)
                return (matcher.matches(value.map(JSONValue.string)), value ?? "absent")
            }
        case .json(let path, let matcher):
            return each(observations, expected: "\(path.isEmpty ? "body" : path) \(matcher)") { observation in
                guard let body = observation.json else { return (matcher.matches(nil), "not JSON: \(preview(observation.body))") }
                let value = body.value(at: path)
                return (matcher.matches(value), value.map { String($0.text().prefix(200)) } ?? "absent")
            }
        case .events(let events):
            var parts: [String] = []
            if let count = events.count { parts.append("count \(count)") }
            if let last = events.last { parts.append("last \(last)") }
            if let text = events.contains { parts.append("an event containing \"\(text)\"") }
            if let complete = events.complete { parts.append(complete ? "a clean end" : "a cut stream") }
            if events.allJSON == true { parts.append("JSON events") }
            return each(observations, expected: parts.joined(separator: ", ")) { observation in
                let list = observation.events
                var passed = true
                if let count = events.count { passed = passed && count.matches(.number(Double(list.count))) }
                if let last = events.last { passed = passed && last.matches(list.last.map(JSONValue.string)) }
                if let text = events.contains { passed = passed && list.contains { $0.contains(text) } }
                if let complete = events.complete { passed = passed && observation.complete == complete }
                if events.allJSON == true { passed = passed && list.allSatisfy { $0 == "[DONE]" || (try? JSONValue.parse($0)) != nil } }
                let seen = "\(list.count) events, last \(list.last.map { "\"\($0.prefix(80))\"" } ?? "none"), \(observation.complete ? "clean end" : "cut")"
                return (passed, seen)
            }
        case .latency(let min, let max):
            let expected = [min.map { "≥ \(ScenarioReport.format($0))" }, max.map { "≤ \(ScenarioReport.format($0))" }].compactMap { $0 }.joined(
                separator: " and ")
            return each(observations, expected: expected) { observation in
                let passed = (min.map { observation.latency >= $0 } ?? true) && (max.map { observation.latency <= $0 } ?? true)
                return (passed, ScenarioReport.format(observation.latency))
            }
        default:
            return ("", "", false)
        }
    }

    /// Runs `test` on every observation; the observed text is the first failure (or the first value).
    static func each(_ observations: [Observation], expected: String, _ test: (Observation) -> (Bool, String)) -> (String, String, Bool) {
        var first: String?
        for (index, observation) in observations.enumerated() {
            let (passed, seen) = test(observation)
            if !passed {
                let prefix = observations.count > 1 ? "response \(index + 1): " : ""
                return (expected, prefix + seen + (observation.error.map { " (\($0))" } ?? ""), false)
            }
            first = first ?? seen
        }
        return (expected, first ?? "", true)
    }

    /// `503 ×9, 200 ×1` in order of first appearance; a missing response shows its error.
    static func mix(_ observations: [Observation]) -> String {
        var order: [Int] = []
        var counts: [Int: Int] = [:]
        for observation in observations {
            if counts[observation.status] == nil { order.append(observation.status) }
            counts[observation.status, default: 0] += 1
        }
        var text = order.map { counts[$0]! > 1 || observations.count > 1 ? "\($0) ×\(counts[$0]!)" : "\($0)" }.joined(separator: ", ")
        if let failed = observations.first(where: { $0.status == 0 }), let error = failed.error { text += " (\(error.prefix(120)))" }
        return text
    }

    static func preview(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(120), as: UTF8.self)
        return body.count > 120 ? "\"\(text)…\"" : "\"\(text)\""
    }
}
