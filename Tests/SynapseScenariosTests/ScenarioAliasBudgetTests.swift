import SynapseCore
import SynapseScenarios
import Testing

/// A scenario file of nested aliases is refused before it is expanded.
@Suite struct ScenarioAliasBudgetTests {
    @Test func aBillionLaughsScenarioIsRefusedWithAnIssue() throws {
        var lines = ["name: laughs", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            lines.append("a\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", "))]")
        }
        do {
            _ = try ScenarioParser.parse(yaml: lines.joined(separator: "\n"), file: "laughs.yaml")
            Issue.record("the scenario was accepted")
        } catch {
            guard case .invalidFile(let issues) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(issues.map(\.message) == [YAMLExpansionBudget.message])
        }
    }
}
