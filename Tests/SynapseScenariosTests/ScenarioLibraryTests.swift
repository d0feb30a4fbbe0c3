import Foundation
import InProcessMocks
import SynapseScenarios
import SynapseTestSupport
import Testing

/// Runs every scenario in `Fixtures/scenarios/` in-process on a virtual clock. Serialized: each
/// scenario starts its own gateway and mocks, and on a 2-core machine running them side by side
/// only adds load without saving time.
@Suite(.serialized) struct ScenarioLibraryTests {
    static var files: [String] {
        let folder = Fixture.url("scenarios").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test func theLibraryHasTheScenariosIssueSixAsksFor() {
        #expect(Self.files.count >= 11)
        #expect(Self.files.contains("voice-cloning.yaml"))
        #expect(Self.files.contains("voice-reference-collision.yaml"))
    }

    @Test(arguments: files)
    func scenarioFromTheLibraryPasses(_ name: String) async throws {
        let scenario = try ScenarioParser.load(path: Fixture.url("scenarios/\(name)").path)
        let report = await ScenarioRunner(mocks: InProcessMockSets(), options: .init(payloadPaths: [Fixture.root.path])).run([scenario])
        #expect(report.failures == 0, Comment(rawValue: report.consoleText()))
        #expect(report.scenarios.first?.steps.isEmpty == false)
        // Virtual time is the point: a scenario that lets a minute pass (a breaker cooldown, the
        // full 60 s deadline of virtual-deadline.yaml) takes far less wall time than that (about
        // 0.1 s alone). Half of it is generous on a loaded machine and still fails for waits or
        // deadlines on real time.
        if let result = report.scenarios.first, result.scenarioTime >= .seconds(30) {
            #expect(result.wallTime < result.scenarioTime / 2, "wall time \(result.wallTime) for \(result.scenarioTime) of scenario time")
        }
    }
}
