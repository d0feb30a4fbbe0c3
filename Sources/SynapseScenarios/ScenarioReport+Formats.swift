import Foundation
import SynapseCore

/// JUnit XML (one `testsuite`, one `testcase` per scenario) and JSON renderings of a report.
extension ScenarioReport {
    /// JUnit XML as CI systems read it: failures carry every failing check with expected and seen.
    public func junitXML() -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml +=
            "<testsuite name=\"synapse-scenarios\" tests=\"\(scenarios.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\" time=\"\(Self.seconds(wallTime))\">\n"
        for scenario in scenarios {
            xml +=
                "  <testcase classname=\"\(Self.escape(scenario.file))\" name=\"\(Self.escape(scenario.name))\" time=\"\(Self.seconds(scenario.wallTime))\">\n"
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
                ("keyPath", .string(check.keyPath)), ("line", .number(Double(check.line))),
                ("passed", .bool(check.passed)), ("expected", .string(check.expected)), ("observed", .string(check.observed)),
            ])
        }
        func step(_ step: StepResult) -> JSONValue {
            var members: [(String, JSONValue)] = [
                ("index", .number(Double(step.index))), ("line", .number(Double(step.line))),
                ("summary", .string(step.summary)), ("passed", .bool(step.passed)),
                ("at_seconds", .number(step.at.scenarioSeconds)), ("checks", .array(step.checks.map(check))),
            ]
            if let error = step.error { members.append(("error", .string(error))) }
            return .object(members)
        }
        let items = scenarios.map { scenario -> JSONValue in
            var members: [(String, JSONValue)] = [
                ("name", .string(scenario.name)), ("file", .string(scenario.file)),
                ("description", .string(scenario.description)), ("seed", .string(String(scenario.seed))),
                ("passed", .bool(scenario.passed)), ("scenario_seconds", .number(scenario.scenarioTime.scenarioSeconds)),
                ("wall_seconds", .number(scenario.wallTime.scenarioSeconds)), ("steps", .array(scenario.steps.map(step))),
            ]
            if let error = scenario.error { members.append(("error", .string(error))) }
            if let reason = scenario.skipped { members.append(("skipped", .string(reason))) }
            return .object(members)
        }
        return JSONValue.object([
            ("passed", .bool(passed)), ("failures", .number(Double(failures))),
            ("wall_seconds", .number(wallTime.scenarioSeconds)), ("scenarios", .array(items)),
        ]).text() + "\n"
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
