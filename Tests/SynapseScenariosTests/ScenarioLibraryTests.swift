import Foundation
import SynapseScenarios
import SynapseTestSupport
import Testing

/// Runs every scenario in `Fixtures/scenarios/` in-process on a virtual clock (the EndToEnd suite).
@Suite struct ScenarioLibraryTests {
    static var files: [String] {
        let folder = Fixture.url("scenarios").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test(arguments: files)
    func scenarioFromTheLibraryPasses(_ name: String) async throws {
        let scenario = try ScenarioParser.load(path: Fixture.url("scenarios/\(name)").path)
        let report = await ScenarioRunner(options: .init(payloadPaths: [Fixture.root.path])).run([scenario])
        #expect(report.failures == 0, Comment(rawValue: report.consoleText()))
    }
}
