import SynapseClock
import SynapseResilience
import Testing

@Suite struct CircuitBreakerTests {
    let clock = VirtualClock()

    func makeBreaker(_ configuration: CircuitBreakerConfiguration = .init()) -> CircuitBreaker<VirtualClock> {
        CircuitBreaker(configuration: configuration, clock: clock)
    }

    /// Records `count` refused connections, returning the transitions they caused.
    func fail(_ breaker: inout CircuitBreaker<VirtualClock>, times count: Int) -> [BreakerTransition] {
        (0..<count).compactMap { _ in breaker.record(.connectFailed(.refused)) }
    }

    // MARK: Closed → open

    @Test func staysClosedAfterFourConsecutiveConnectFailures() {
        var breaker = makeBreaker()
        #expect(fail(&breaker, times: 4).isEmpty)
        #expect(breaker.snapshot == BreakerSnapshot(state: .closed, consecutiveFailures: 4, timeUntilHalfOpen: nil))
        #expect(breaker.admit() == .allow)
    }

    @Test func opensOnTheFifthConsecutiveConnectFailureAndRejectsWithTheFullCooldown() {
        var breaker = makeBreaker()
        let transitions = fail(&breaker, times: 5)
        #expect(transitions == [BreakerTransition(from: .closed, to: .open, reason: .failureThreshold)])
        #expect(breaker.snapshot == BreakerSnapshot(state: .open, consecutiveFailures: 5, timeUntilHalfOpen: .seconds(30)))
        #expect(breaker.admit() == .reject(retryAfter: .seconds(30)))
    }

    @Test(arguments: [
        Outcome.connectFailed(.refused), .connectFailed(.timedOut), .connectFailed(.dnsFailure), .connectFailed(.other),
        .reset(beforeRequestSent: true),
    ])
    func everyKindOfConnectionFailureCounts(_ failure: Outcome) {
        var breaker = makeBreaker(.init(failureThreshold: 2))
        breaker.record(failure)
        #expect(breaker.record(failure)?.to == .open)
    }

    @Test func anyResponseResetsTheCountEvenA500() {
        var breaker = makeBreaker()
        _ = fail(&breaker, times: 4)
        breaker.record(.response(status: 500))
        #expect(breaker.snapshot.consecutiveFailures == 0)
        #expect(fail(&breaker, times: 4).isEmpty)
        #expect(breaker.state == .closed)
    }

    @Test(arguments: [
        Outcome.timedOut(.responseHead), .timedOut(.idle), .timedOut(.deadline), .reset(beforeRequestSent: false), .cancelled,
    ])
    func neutralOutcomesNeitherCountNorResetTheStreak(_ neutral: Outcome) {
        var breaker = makeBreaker()
        _ = fail(&breaker, times: 4)
        #expect(breaker.record(neutral) == nil)
        #expect(breaker.snapshot.consecutiveFailures == 4)
        #expect(breaker.record(.connectFailed(.refused))?.to == .open)
    }

    @Test func countedStatusesOpenTheBreakerWhenConfigured() {
        var breaker = makeBreaker(.init(failureThreshold: 3, countedStatuses: CircuitBreakerConfiguration.gatewayErrorStatuses))
        breaker.record(.response(status: 502))
        breaker.record(.connectFailed(.refused))
        let transition = breaker.record(.response(status: 504))
        #expect(transition == BreakerTransition(from: .closed, to: .open, reason: .failureThreshold))
    }

    @Test func statusesAreNotCountedByDefault() {
        var breaker = makeBreaker(.init(failureThreshold: 1))
        #expect(breaker.record(.response(status: 503)) == nil)
        #expect(breaker.state == .closed)
    }

    @Test func uncountedStatusesStillResetTheCountWhenSomeAreCounted() {
        var breaker = makeBreaker(.init(failureThreshold: 3, countedStatuses: [503]))
        breaker.record(.response(status: 503))
        breaker.record(.response(status: 500))
        #expect(breaker.snapshot.consecutiveFailures == 0)
    }

    // MARK: Open → half-open

    @Test func rejectsWithTheTimeLeftOfTheCooldown() {
        var breaker = makeBreaker()
        _ = fail(&breaker, times: 5)
        clock.advance(by: .milliseconds(800))
        #expect(breaker.admit() == .reject(retryAfter: .milliseconds(29_200)))
        #expect(breaker.snapshot.timeUntilHalfOpen == .milliseconds(29_200))
    }

    @Test func stillRejectsJustBeforeTheCooldownEnds() {
        var breaker = makeBreaker()
        _ = fail(&breaker, times: 5)
        clock.advance(by: .seconds(30) - .nanoseconds(1))
        #expect(breaker.admit() == .reject(retryAfter: .nanoseconds(1)))
    }

    @Test func letsExactlyOneProbeThroughWhenTheCooldownEnds() {
        var breaker = makeBreaker()
        _ = fail(&breaker, times: 5)
        clock.advance(by: .seconds(30))
        #expect(breaker.snapshot.state == .halfOpen)
        var transitions: [BreakerTransition] = []
        #expect(breaker.admit { transitions.append($0) } == .probe)
        #expect(transitions == [BreakerTransition(from: .open, to: .halfOpen, reason: .cooldownElapsed)])
        #expect(breaker.admit() == .reject(retryAfter: .zero))
        #expect(breaker.admit() == .reject(retryAfter: .zero))
        #expect(breaker.snapshot.probeInFlight)
    }

    // MARK: Half-open → closed / open

    @Test func probeResponseClosesTheBreaker() {
        var breaker = makeBreaker()
        _ = fail(&breaker, times: 5)
        clock.advance(by: .seconds(30))
        #expect(breaker.admit() == .probe)
        let transition = breaker.record(.response(status: 503), wasProbe: true)
        #expect(transition == BreakerTransition(from: .halfOpen, to: .closed, reason: .probeSucceeded))
        #expect(breaker.snapshot == BreakerSnapshot(state: .closed, consecutiveFailures: 0, timeUntilHalfOpen: nil))
        #expect(breaker.admit() == .allow)
    }

    @Test func probeConnectFailureReopensForAnotherFullCooldown() {
        var breaker = makeBreaker()
        _ = fail(&breaker, times: 5)
        clock.advance(by: .seconds(45))
        #expect(breaker.admit() == .probe)
        let transition = breaker.record(.connectFailed(.timedOut), wasProbe: true)
        #expect(transition == BreakerTransition(from: .halfOpen, to: .open, reason: .probeFailed))
        #expect(breaker.admit() == .reject(retryAfter: .seconds(30)))
        clock.advance(by: .seconds(30))
        #expect(breaker.admit() == .probe)
    }

    @Test func cancelledProbeFreesTheSlotWithoutCountingEitherWay() {
        var breaker = makeBreaker()
        _ = fail(&breaker, times: 5)
        clock.advance(by: .seconds(30))
        #expect(breaker.admit() == .probe)
        breaker.cancelProbe()
        #expect(breaker.snapshot == BreakerSnapshot(state: .halfOpen, consecutiveFailures: 5, timeUntilHalfOpen: nil))
        #expect(breaker.admit() == .probe)
        #expect(breaker.admit() == .reject(retryAfter: .zero))
    }

    @Test func probeTimingOutAfterConnectingFreesTheSlotLikeACancellation() {
        var breaker = makeBreaker()
        _ = fail(&breaker, times: 5)
        clock.advance(by: .seconds(30))
        #expect(breaker.admit() == .probe)
        #expect(breaker.record(.timedOut(.responseHead), wasProbe: true) == nil)
        #expect(breaker.state == .halfOpen)
        #expect(breaker.admit() == .probe)
    }

    @Test func outcomesOfRequestsAdmittedBeforeOpeningAreIgnoredWhileHalfOpen() {
        var breaker = makeBreaker()
        _ = fail(&breaker, times: 5)
        clock.advance(by: .seconds(30))
        #expect(breaker.admit() == .probe)
        // A straggler admitted while still closed reports late: only the probe may decide.
        #expect(breaker.record(.response(status: 200)) == nil)
        #expect(breaker.record(.connectFailed(.refused)) == nil)
        #expect(breaker.snapshot.state == .halfOpen)
        #expect(breaker.snapshot.probeInFlight)
    }

    @Test func probeReportWithoutAProbeInFlightChangesNothing() {
        var breaker = makeBreaker()
        #expect(breaker.record(.response(status: 200), wasProbe: true) == nil)
        _ = fail(&breaker, times: 5)
        #expect(breaker.record(.response(status: 200), wasProbe: true) == nil)
        #expect(breaker.state == .open)
    }

    // MARK: Admin

    @Test func forceOpenRejectsUntilResetAndIgnoresTheClock() {
        var breaker = makeBreaker()
        #expect(breaker.forceOpen() == BreakerTransition(from: .closed, to: .open, reason: .forcedOpen))
        #expect(breaker.forceOpen() == nil)
        clock.advance(by: .seconds(3_600))
        #expect(breaker.admit() == .reject(retryAfter: .seconds(30)))
        #expect(breaker.snapshot == BreakerSnapshot(state: .open, consecutiveFailures: 0, timeUntilHalfOpen: nil, isForced: true))
        #expect(breaker.reset() == BreakerTransition(from: .open, to: .closed, reason: .reset))
        #expect(breaker.admit() == .allow)
    }

    @Test func forceCloseKeepsAllowingThroughAnyNumberOfFailures() {
        var breaker = makeBreaker()
        _ = fail(&breaker, times: 5)
        #expect(breaker.forceClose() == BreakerTransition(from: .open, to: .closed, reason: .forcedClosed))
        #expect(fail(&breaker, times: 20).isEmpty)
        #expect(breaker.admit() == .allow)
        #expect(breaker.snapshot == BreakerSnapshot(state: .closed, consecutiveFailures: 20, timeUntilHalfOpen: nil, isForced: true))
    }

    @Test func resetReturnsToAutomaticClosedWithNoFailures() {
        var breaker = makeBreaker()
        #expect(breaker.reset() == nil)
        _ = breaker.forceClose()
        #expect(breaker.reset() == BreakerTransition(from: .closed, to: .closed, reason: .reset))
        #expect(fail(&breaker, times: 5).count == 1)
        #expect(breaker.state == .open)
    }

    @Test func resetDuringHalfOpenMakesTheOutstandingProbeIrrelevant() {
        var breaker = makeBreaker()
        _ = fail(&breaker, times: 5)
        clock.advance(by: .seconds(30))
        #expect(breaker.admit() == .probe)
        #expect(breaker.reset() == BreakerTransition(from: .halfOpen, to: .closed, reason: .reset))
        #expect(breaker.record(.connectFailed(.refused), wasProbe: true) == nil)
        #expect(breaker.snapshot.consecutiveFailures == 0)
    }

    // MARK: Retry-After

    @Test(arguments: [
        (Duration.milliseconds(29_200), 30), (.seconds(30), 30), (.nanoseconds(1), 1), (.zero, 1), (.seconds(-3), 1),
        (.milliseconds(1_000), 1), (.milliseconds(1_001), 2),
    ])
    func retryAfterIsWholeSecondsRoundedUpAndAtLeastOne(_ left: Duration, _ seconds: Int) {
        #expect(left.retryAfterSeconds == seconds)
    }
}
