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

    /// Scenarios that need routes not yet in the gateway.
    static let waitingOnVoiceRoutes: Set<String> = ["voice-cloning.yaml", "voice-reference-collision.yaml"]

    @Test(arguments: files)
    func scenarioFromTheLibraryPasses(_ name: String) async throws {
        let scenario = try ScenarioParser.load(path: Fixture.url("scenarios/\(name)").path)
        let report = await ScenarioRunner(options: .init(payloadPaths: [Fixture.root.path])).run([scenario])
        guard Self.waitingOnVoiceRoutes.contains(name) else {
            #expect(report.failures == 0, Comment(rawValue: report.consoleText()))
            return
        }
        // Known and visible: these need the gateway's /voices and /tts/synthesize routes, which are
        // being built (Sources/SynapseGateway/Voices). Once they are served this passes as is;
        // then remove the name from `waitingOnVoiceRoutes`.
        withKnownIssue("waiting on the gateway's voice library routes", isIntermittent: true) {
            #expect(report.failures == 0, Comment(rawValue: report.consoleText()))
        }
    }
}
