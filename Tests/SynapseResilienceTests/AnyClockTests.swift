import SynapseClock
import SynapseResilience
import Testing

@Suite struct AnyClockTests {
    @Test func readsTheWrappedClockAsAnOffsetFromWhenItWasWrapped() {
        let manual = VirtualClock()
        manual.advance(by: .seconds(100))
        let clock = AnyClock(manual)
        #expect(clock.now.offset == .zero)
        manual.advance(by: .milliseconds(1_250))
        #expect(clock.now.offset == .milliseconds(1_250))
    }

    @Test func sleepsOnTheWrappedClock() async throws {
        let manual = VirtualClock()
        let clock = AnyClock(manual)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await clock.sleep(for: .seconds(2)) }
            try await manual.waitForSleepers(count: 1)
            #expect(manual.nextDeadline == VirtualClock.Instant(offset: .seconds(2)))
            manual.advance(by: .seconds(2))
            try await group.next()
        }
    }

    @Test func aBreakerOnAWrappedVirtualClockCoolsDownWithTheVirtualClock() {
        let manual = VirtualClock()
        var breaker = CircuitBreaker(configuration: .init(failureThreshold: 1), clock: AnyClock(manual))
        breaker.record(.connectFailed(.refused))
        #expect(breaker.admit() == .reject(retryAfter: .seconds(30)))
        manual.advance(by: .seconds(30))
        #expect(breaker.admit() == .probe)
    }
}
