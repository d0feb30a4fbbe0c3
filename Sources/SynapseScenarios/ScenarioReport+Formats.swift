import Foundation
import SynapseCore

/// JUnit XML (one `testsuite`, one `testcase` per scenario) and JSON renderings of a report.
extension ScenarioReport {
    /// JUnit XML as CI systems read it: failures carry every failing check with expected and seen.
    public func junitXML() -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuite name=\"synapse-scenarios\" tests=\"\(scenarios.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" time=\"\(Self.seconds(wallTime))\">\n"
        for scenario in scenarios {
            xml += "  <testcase classname=\"\(Self.escape(scenario.file))\" name=\"\(Self.escape(scenario.name))\" time=\"\(Self.seconds(scenario.wallTime))\">\n"
            xml += "    <properties><property name=\"seed\" value=\"\(scenario.seed)\"/></properties>\n"
            if let reason = scenario.skipped { xml += "    <skipped message=\"\(Self.escape(reason))\"/>\n" }
            if !scenario.passed {
                var details: [String] = []
                if let error = scenario.error { details.append("error: \(error)") }
                for step in scenario.steps where !step.passed {
                    if let error = step.error { details.append("step \(step.index) (line \(step.line)) \(step.summary): \(error)") }
                    for check in step.checks where !check.passed {
                        details.append("step \(step.index) \(check.keyPath) (line \(check.line)): expected \(check.expected); saw \(check.observed)")
                    }
                }
                let message = details.first ?? "failed"
                xml += "    <failure message=\"\(Self.escape(message))\">\(Self.escape(details.joined(separator: "\n")))</failure>\n"
            }
            xml += "  </testcase>\n"
        }
        return xml + "</testsuite>\n"
    }

    /// The whole report as JSON (members in a fixed order).
    public func json() -> String {
        func check(_ check: CheckResult) -> JSONValue {
            .object([
                .init("keyPath", .string(check.keyPath)), .init("line", .number(Double(check.line))),
                .init("passed", .bool(check.passed)), .init("expected", .string(check.expected)), .init("observed", .string(check.observed)),
            ])
        }
        func step(_ step: StepResult) -> JSONValue {
            var members: [JSONValue.Member] = [
                .init("index", .number(Double(step.index))), .init("line", .number(Double(step.line))),
                .init("summary", .string(step.summary)), .init("passed", .bool(step.passed)),
                .init("at_seconds", .number(step.at.scenarioSeconds)), .init("checks", .array(step.checks.map(check))),
            ]
            if let error = step.error { members.append(.init("error", .string(error))) }
            return .object(members)
        }
        let items = scenarios.map { scenario -> JSONValue in
            var members: [JSONValue.Member] = [
                .init("name", .string(scenario.name)), .init("file", .string(scenario.file)),
                .init("description", .string(scenario.description)), .init("seed", .string(String(scenario.seed))),
                .init("passed", .bool(scenario.passed)), .init("scenario_seconds", .number(scenario.scenarioTime.scenarioSeconds)),
                .init("wall_seconds", .number(scenario.wallTime.scenarioSeconds)), .init("steps", .array(scenario.steps.map(step))),
            ]
            if let error = scenario.error { members.append(.init("error", .string(error))) }
            if let reason = scenario.skipped { members.append(.init("skipped", .string(reason))) }
            return .object(members)
        }
        return JSONValue.object([
            .init("passed", .bool(passed)), .init("failures", .number(Double(failures))),
            .init("wall_seconds", .number(wallTime.scenarioSeconds)), .init("scenarios", .array(items)),
        ]).jsonText + "\n"
    }

    private static func seconds(_ duration: Duration) -> String {
        String(format: "%.3f", duration.scenarioSeconds)
    }

    private static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}

extension Duration {
    /// Seconds as a `Double`, rounded to milliseconds (reports need no more).
    var scenarioSeconds: Double {
        (seconds * 1000).rounded() / 1000
    }
}
