import SynapseClock
import SynapseCore
import SynapseResilience
import Testing

@Suite struct TimeoutPolicyTests {
    @Test(arguments: [
        ("llm", 300), ("embeddings", 60), ("tts", 120), ("stt", 600), ("speaker", 600), ("audio", 600), ("default", 60),
    ])
    func builtInProfilesHaveTheOriginalTotalsAndSharedStepTimeouts(_ name: String, _ seconds: Int64) throws {
        let profile = try #require(TimeoutProfile(rawValue: name))
        #expect(TimeoutPolicy(profile: profile) == TimeoutPolicy(total: .seconds(seconds), connect: .seconds(5), idle: .seconds(60)))
    }

    @Test func configuredDeadlinesAndBackendOverridesWin() {
        var timeouts = BackendConfig.Timeouts()
        timeouts.connect = .seconds(2)
        timeouts.idle = .seconds(15)
        let configured = TimeoutPolicy(profile: .tts, deadlines: [.tts: .seconds(90)], timeouts: timeouts)
        #expect(configured == TimeoutPolicy(total: .seconds(90), connect: .seconds(2), idle: .seconds(15)))
        timeouts.total = .seconds(10)
        #expect(TimeoutPolicy(profile: .tts, deadlines: [.tts: .seconds(90)], timeouts: timeouts).total == .seconds(10))
        // A profile missing from the configured table falls back to the built-in total.
        #expect(TimeoutPolicy(profile: .stt, deadlines: [:]).total == .seconds(600))
    }

    @Test func aPolicyTurnsARequestIntoADeadlineOnce() {
        let clock = VirtualClock()
        let deadline = TimeoutPolicy(profile: .tts).deadline(on: clock)
        clock.advance(by: .seconds(20))
        #expect(deadline.remaining == .seconds(100))
        #expect(TimeoutPolicy(profile: .stt).deadline(on: clock, clientTimeout: .seconds(30)).remaining == .seconds(30))
    }
}
