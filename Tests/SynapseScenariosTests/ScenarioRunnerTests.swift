import Foundation
import InProcessMocks
import SynapseClock
import SynapseScenarios
import SynapseTestSupport
import Testing

/// The runner itself: it can fail, it is deterministic, and it measures on the virtual clock.
@Suite struct ScenarioRunnerTests {
    static let refusingEmbed = """
        version: 1
        name: refused embeddings
        seed: 3
        mocks: [llama-embed]
        steps:
          - fault: {mock: llama-embed, kind: refuse}
          - request:
              path: /v1/embeddings
              json: {input: hi, model: m}
            expect:
              status: %STATUS%
              latency: {min: 3500ms, max: 3500ms}
        """

    func scenario(status: String) throws -> Scenario {
        try ScenarioParser.parse(yaml: Self.refusingEmbed.replacingOccurrences(of: "%STATUS%", with: status), file: "inline.yaml")
    }

    @Test func aScenarioWhoseExpectationIsWrongFails() async throws {
        let report = await ScenarioRunner(mocks: InProcessMockSets()).run([try scenario(status: "200")])
        #expect(!report.passed)
        let step = try #require(report.scenarios.first?.steps.last)
        let check = try #require(step.checks.first { !$0.passed })
        #expect(check.keyPath == "steps[1].expect.status")
        #expect(check.line == 11)
        #expect(check.expected == "200")
        #expect(check.observed == "503")
        #expect(report.consoleText().contains("FAIL  refused embeddings"))
        #expect(report.junitXML().contains("<failure"))
    }

    /// The backoff (0.5 + 1 + 2 s) is measured exactly on the virtual clock (the scenario's latency
    /// check is min = max = 3.5 s). Wall time is not asserted here: in the parallel test run the
    /// machine's load, not the clock, decides it; `TimeDriverTests` checks the driver itself.
    @Test func backoffOfHalfOneAndTwoSecondsIsExactOnTheVirtualClock() async throws {
        let report = await ScenarioRunner(mocks: InProcessMockSets()).run([try scenario(status: "503")])
        #expect(report.passed, "\(report.consoleText(verbose: true))")
        let result = try #require(report.scenarios.first)
        #expect(result.scenarioTime >= .milliseconds(3500))
    }

    @Test func theSameSeedGivesTheSameReport() async throws {
        let yaml = """
            version: 1
            name: seeded coin
            seed: 11
            mocks: [llama-embed]
            steps:
              - fault: {mock: llama-embed, kind: status, status: 500, probability: 0.5}
              - request:
                  path: /v1/embeddings
                  json: {input: coin, model: m}
                  count: 12
                expect:
                  statusMix: {200: 6, 500: 6}
            """
        let scenario = try ScenarioParser.parse(yaml: yaml, file: "seeded.yaml")
        let first = await ScenarioRunner(mocks: InProcessMockSets()).run([scenario])
        let second = await ScenarioRunner(mocks: InProcessMockSets()).run([scenario])
        #expect(first.consoleText(verbose: true, timings: false) == second.consoleText(verbose: true, timings: false))
        let other = await ScenarioRunner(mocks: InProcessMockSets(), options: .init(seed: 12)).run([scenario])
        let mix = { (report: ScenarioReport) in report.scenarios.first?.steps.last?.checks.first?.observed }
        #expect(mix(first) == mix(second))
        #expect(other.scenarios.first?.seed == 12)
        #expect(mix(first) != mix(other))
    }

    /// The gateway's deadline on the scenario clock: a hung backend answers 504 after the
    /// embeddings profile's full 60 s of virtual time (its wall time is asserted by
    /// `ScenarioLibraryTests`, which runs it one scenario at a time).
    @Test func aHungBackendTimesOutAfterSixtyVirtualSeconds() async throws {
        let scenario = try ScenarioParser.load(path: Fixture.url("scenarios/virtual-deadline.yaml").path)
        let report = await ScenarioRunner(mocks: InProcessMockSets()).run([scenario])
        #expect(report.failures == 0, Comment(rawValue: report.consoleText()))
        let result = try #require(report.scenarios.first)
        #expect(result.scenarioTime >= .seconds(60))
    }

    /// The same run on real time (`--real-time`): the scenario declares that it needs virtual
    /// time, so it is skipped and says why, rather than waiting a minute or failing.
    @Test func aVirtualTimeScenarioIsSkippedOnRealTimeWithItsReason() async throws {
        let scenario = try ScenarioParser.load(path: Fixture.url("scenarios/virtual-deadline.yaml").path)
        let report = await ScenarioRunner(mocks: InProcessMockSets(), options: .init(realTime: true)).run([scenario])
        #expect(report.skipped == 1)
        #expect(report.scenarios.first?.skipped?.contains("needs virtualTime") == true)
        #expect(report.consoleText(timings: false).contains("0 passed, 0 failed, 1 skipped, 1 scenario"))
    }
}
