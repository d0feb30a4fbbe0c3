import Foundation
import SynapseCore

/// The outcome of running scenarios: per scenario, per step, per check — what was expected and
/// what was seen. Rendered as console text, JUnit XML or JSON; built without printing anything.
public struct ScenarioReport: Sendable {
    public var scenarios: [ScenarioResult]
    /// Wall time of the whole run.
    public var wallTime: Duration

    public init(scenarios: [ScenarioResult], wallTime: Duration) {
        self.scenarios = scenarios
        self.wallTime = wallTime
    }

    public var passed: Bool { scenarios.allSatisfy(\.passed) }
    public var failures: Int { scenarios.count { !$0.passed } }
    /// Scenarios not run because the mock set lacks what they require.
    public var skipped: Int { scenarios.count { $0.skipped != nil } }
}

/// One scenario's outcome.
public struct ScenarioResult: Sendable {
    public var name: String
    public var file: String
    public var description: String
    public var seed: UInt64
    public var steps: [StepResult]
    /// Set when the scenario could not run at all (setup failed, target unreachable).
    public var error: String?
    /// Set when the scenario was not run because the mock set lacks a capability it requires
    /// (`needs virtualTime: …`); a skipped scenario neither passes nor fails.
    public var skipped: String?
    /// Time that passed on the scenario's clock (virtual in-process).
    public var scenarioTime: Duration
    /// Real time the scenario took.
    public var wallTime: Duration

    public init(
        name: String, file: String, description: String, seed: UInt64, steps: [StepResult] = [], error: String? = nil,
        scenarioTime: Duration = .zero, wallTime: Duration = .zero
    ) {
        self.name = name
        self.file = file
        self.description = description
        self.seed = seed
        self.steps = steps
        self.error = error
        self.scenarioTime = scenarioTime
        self.wallTime = wallTime
    }

    public var passed: Bool { error == nil && steps.allSatisfy(\.passed) }
}

/// One step's outcome.
public struct StepResult: Sendable {
    /// 1-based position in the scenario.
    public var index: Int
    public var line: Int
    /// What the step did, e.g. `request POST /v1/embeddings ×10`.
    public var summary: String
    public var checks: [CheckResult]
    /// Set when the action itself failed (the control API refused a fault, a file was missing).
    public var error: String?
    /// The scenario clock when the step ended.
    public var at: Duration

    public init(index: Int, line: Int, summary: String, checks: [CheckResult] = [], error: String? = nil, at: Duration = .zero) {
        self.index = index
        self.line = line
        self.summary = summary
        self.checks = checks
        self.error = error
        self.at = at
    }

    public var passed: Bool { error == nil && checks.allSatisfy(\.passed) }
}

/// One expectation's outcome.
public struct CheckResult: Sendable, Equatable {
    public var line: Int
    /// Where it was written, e.g. `steps[2].expect.status`.
    public var keyPath: String
    public var expected: String
    public var observed: String
    public var passed: Bool

    public init(line: Int, keyPath: String, expected: String, observed: String, passed: Bool) {
        self.line = line
        self.keyPath = keyPath
        self.expected = expected
        self.observed = observed
        self.passed = passed
    }
}

// MARK: Console

extension ScenarioReport {
    /// A readable report: each scenario and step with ✓/✗, expected and seen for every check
    /// (all of them with `verbose`, else only failing ones), the seed, and the wall time at the end.
    /// `timings: false` leaves out wall times, so two runs with one seed give the same text.
    public func consoleText(verbose: Bool = false, timings: Bool = true) -> String {
        var lines: [String] = []
        for scenario in scenarios {
            let verdict = scenario.skipped != nil ? "SKIP" : scenario.passed ? "PASS" : "FAIL"
            lines.append("\(verdict)  \(scenario.name)  (\(scenario.file), seed \(scenario.seed))")
            if let reason = scenario.skipped { lines.append("      skipped: \(reason)") }
            if let error = scenario.error { lines.append("      error: \(error)") }
            for step in scenario.steps {
                let mark = step.passed ? "✓" : "✗"
                lines.append("  \(mark) \(step.index). \(step.summary)  [line \(step.line), t=\(Self.format(step.at))]")
                if let error = step.error { lines.append("      error: \(error)") }
                for check in step.checks where verbose || !check.passed {
                    lines.append("      \(check.passed ? "✓" : "✗") \(check.keyPath) (line \(check.line)): expected \(check.expected); saw \(check.observed)")
                }
            }
            var footer = "      scenario time \(Self.format(scenario.scenarioTime))"
            if timings { footer += ", wall time \(Self.format(scenario.wallTime))" }
            lines.append(footer)
        }
        var summary = "\(scenarios.count - failures - skipped) passed, \(failures) failed, "
        if skipped > 0 { summary += "\(skipped) skipped, " }
        summary += "\(scenarios.count) scenario\(scenarios.count == 1 ? "" : "s")"
        if timings { summary += " — wall time \(Self.format(wallTime))" }
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `1.234s`, `30s`, `250ms`.
    static func format(_ duration: Duration) -> String {
        let ms = duration.seconds * 1000
        if ms < 1000 { return "\(Int(ms.rounded()))ms" }
        let seconds = ms / 1000
        return seconds.rounded() == seconds ? "\(Int(seconds))s" : String(format: "%.3fs", seconds)
    }
}
