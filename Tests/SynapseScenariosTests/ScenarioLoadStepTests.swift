import Foundation
import InProcessMocks
import SynapseScenarios
import SynapseTestSupport
import Testing

/// `load:` steps: what the parser refuses, and a threshold that misses failing the scenario.
@Suite struct ScenarioLoadStepTests {
    func issues(_ steps: String) -> [ScenarioIssue] {
        do {
            _ = try ScenarioParser.parse(yaml: "version: 1\nname: load\nsteps:\n" + steps, file: "load.yaml")
            return []
        } catch {
            if case .invalidFile(let issues) = error { return issues }
            return []
        }
    }

    @Test func aLoadStepIsParsedWithItsPacingThresholdsAndActions() throws {
        let scenario = try ScenarioParser.parse(
            yaml: """
                version: 1
                name: load
                mocks: [llama-embed]
                steps:
                  - load:
                      recording: recordings/synapse-dev
                      routes: [/v1/]
                      concurrency: 4
                      duration: 2s
                      loop: true
                      headers: {X-Team: load}
                      thresholds: ["p99<1s", "/v1/embeddings:errors<5%"]
                      during:
                        - {at: 1s, fault: {mock: llama-embed, kind: refuse}}
                """, file: "load.yaml")
        guard case .load(let spec) = try #require(scenario.steps.first).action else {
            Issue.record("not a load step")
            return
        }
        #expect(scenario.hasLoad)
        #expect(spec.pacing == .concurrency(4) && spec.duration == .seconds(2) && spec.loop && spec.routes == ["/v1/"])
        #expect(spec.thresholds.map(\.source) == ["p99<1s", "/v1/embeddings:errors<5%"] && spec.thresholdLines == [12, 12])
        #expect(spec.during.count == 1 && spec.during.first?.at == .seconds(1))
        #expect(spec.headers.first?.0 == "X-Team")
    }

    @Test(
        arguments: [
            ("  - load: {rate: 5}\n", "steps[0].load.recording", "missing: the HAR file or folder to replay"),
            ("  - load: {recording: r.har, rate: 5, concurrency: 2}\n", "steps[0].load", "give one pacing: rate or concurrency"),
            ("  - load: {recording: r.har, rate: 5, loop: true}\n", "steps[0].load.loop", "a looped recording needs a `duration` to end"),
            ("  - load: {recording: r.har, thresholds: ['p99<500xs']}\n", "steps[0].load.thresholds[0]", "unknown unit xs"),
            ("  - load: {recording: r.har, routes: [v1]}\n", "steps[0].load.routes", "must start with /"),
            ("  - load: {recording: r.har, rate: 0}\n", "steps[0].load.rate", "must be between 0 and 100000"),
        ])
    func aBadLoadStepIsReportedAtItsKey(steps: String, keyPath: String, message: String) {
        let found = issues(steps)
        #expect(found.contains { $0.keyPath == keyPath && $0.message.contains(message) }, "\(found)")
    }

    @Test func aMissedThresholdFailsTheScenarioAndIsNamed() async throws {
        let scenario = try ScenarioParser.parse(
            yaml: """
                version: 1
                name: impossible
                mocks: [llama-embed]
                steps:
                  - load:
                      recording: recordings/synapse-dev
                      routes: [/v1/embeddings]
                      rate: 20
                      duration: 1s
                      loop: true
                      thresholds: ["requests>=10", "/v1/embeddings:p50<1us"]
                """, file: "impossible.yaml")
        let report = await ScenarioRunner(mocks: InProcessMockSets(), options: .init(payloadPaths: [Fixture.root.path])).run([scenario])
        #expect(report.failures == 1)
        let checks = try #require(report.scenarios.first?.steps.first?.checks)
        #expect(checks.map(\.passed) == [true, false], Comment(rawValue: report.consoleText()))
        #expect(checks.last?.expected == "/v1/embeddings:p50<1us")
    }
}
