import SynapseResilience
import SynapseTestSupport
import Testing

@Suite struct DeadlineTests {
    let clock = ManualClock()

    @Test func remainingShrinksAsTheClockMovesAndNeverGoesNegative() {
        let deadline = Deadline(after: .seconds(10), clock: clock)
        #expect(deadline.remaining == .seconds(10))
        #expect(!deadline.isExpired)
        clock.advance(by: .milliseconds(9_750))
        #expect(deadline.remaining == .milliseconds(250))
        clock.advance(by: .milliseconds(250))
        #expect(deadline.isExpired)
        #expect(deadline.remaining == .zero)
        clock.advance(by: .seconds(5))
        #expect(deadline.remaining == .zero)
    }

    @Test func aShorterClientTimeoutNarrowsTheDeadlineButALongerOneDoesNot() {
        let deadline = Deadline(after: .seconds(60), clock: clock)
        #expect(deadline.limited(to: .seconds(5)).remaining == .seconds(5))
        #expect(deadline.limited(to: .seconds(500)).remaining == .seconds(60))
        #expect(deadline.limited(to: nil).instant == deadline.instant)
    }

    @Test func stepTimeoutsAreCappedByWhatIsLeft() {
        let deadline = Deadline(after: .seconds(7), clock: clock)
        #expect(deadline.timeout(cappedAt: .seconds(5)) == .seconds(5))
        clock.advance(by: .seconds(4))
        #expect(deadline.timeout(cappedAt: .seconds(5)) == .seconds(3))
    }
}

@Suite struct TimeoutProfileTests {
    @Test(arguments: [
        ("llm", 300), ("embeddings", 60), ("tts", 120), ("stt", 600), ("speaker", 600), ("audio", 600), ("default", 60),
    ])
    func builtInProfilesHaveTheOriginalTotals(_ name: String, _ seconds: Int64) throws {
        let profile = try #require(TimeoutProfile.parse(name))
        #expect(profile.name == name)
        #expect(profile.total == .seconds(seconds))
        #expect(profile.connect == .seconds(5))
        #expect(profile.idle == .seconds(60))
    }

    @Test func parsingIgnoresCaseAndSurroundingSpacesAndRejectsUnknownNames() {
        #expect(TimeoutProfile.parse("  LLM\t") == .llm)
        #expect(TimeoutProfile.parse("video") == nil)
        #expect(TimeoutProfile.parse("") == nil)
    }

    @Test func aProfileTurnsARequestIntoADeadlineOnce() {
        let clock = ManualClock()
        let deadline = TimeoutProfile.tts.deadline(on: clock)
        clock.advance(by: .seconds(20))
        #expect(deadline.remaining == .seconds(100))
        #expect(TimeoutProfile.stt.deadline(on: clock, clientTimeout: .seconds(30)).remaining == .seconds(30))
    }
}
