import SynapseClock
import SynapseResilience
import Testing

@Suite struct DeadlineTests {
    let clock = VirtualClock()

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
