import SynapseClock
import SynapseResilience
import Synchronization
import Testing

@Suite struct SharedCircuitBreakerTests {
    let clock = VirtualClock()
    let log = TransitionLog()

    func makeBreaker(_ configuration: CircuitBreakerConfiguration = .init()) -> SharedCircuitBreaker<VirtualClock> {
        SharedCircuitBreaker(configuration: configuration, clock: clock) { [log] in log.append($0) }
    }

    /// Admits one request, which must be allowed, and returns its permit.
    func permit(from breaker: SharedCircuitBreaker<VirtualClock>) throws -> BreakerPermit {
        guard case .allow(let permit) = breaker.admit() else {
            Issue.record("expected the breaker to allow the request")
            throw CancellationError()
        }
        return permit
    }

    func open(_ breaker: SharedCircuitBreaker<VirtualClock>) throws {
        for _ in 0..<breaker.configuration.failureThreshold {
            try permit(from: breaker).record(.connectFailed(.refused))
        }
        try #require(breaker.state == .open)
    }

    func isRejected(_ admission: SharedCircuitBreaker<VirtualClock>.Admission) -> Bool {
        if case .reject = admission { true } else { false }
    }

    @Test func opensAfterFiveFailedPermitsAndReportsTheTransitionOnce() throws {
        let breaker = makeBreaker()
        try open(breaker)
        #expect(log.all == [BreakerTransition(from: .closed, to: .open, reason: .failureThreshold)])
        guard case .reject(let retryAfter) = breaker.admit() else {
            Issue.record("an open breaker must reject")
            return
        }
        #expect(retryAfter == .seconds(30))
        #expect(retryAfter.retryAfterSeconds == 30)
    }

    @Test func aPermitSettlesOnlyOnce() throws {
        let breaker = makeBreaker(.init(failureThreshold: 2))
        let first = try permit(from: breaker)
        #expect(first.record(.connectFailed(.refused)))
        #expect(!first.record(.connectFailed(.refused)))
        #expect(!first.cancel())
        #expect(first.isSettled)
        #expect(breaker.snapshot.consecutiveFailures == 1)
    }

    @Test func probePermitResponseClosesTheBreaker() throws {
        let breaker = makeBreaker()
        try open(breaker)
        clock.advance(by: .seconds(30))
        let probe = try permit(from: breaker)
        #expect(probe.isProbe)
        #expect(isRejected(breaker.admit()))
        probe.record(.response(status: 200))
        #expect(breaker.state == .closed)
        #expect(log.all.map(\.reason) == [.failureThreshold, .cooldownElapsed, .probeSucceeded])
    }

    @Test func cancellingTheProbeMakesTheNextRequestTheProbe() throws {
        let breaker = makeBreaker()
        try open(breaker)
        clock.advance(by: .seconds(30))
        let probe = try permit(from: breaker)
        #expect(isRejected(breaker.admit()))
        probe.cancel()
        let next = try permit(from: breaker)
        #expect(next.isProbe)
        #expect(breaker.snapshot.consecutiveFailures == 5)
        next.record(.connectFailed(.refused))
        #expect(breaker.state == .open)
    }

    @Test func droppingAnUnsettledProbeFreesTheSlot() throws {
        let breaker = makeBreaker()
        try open(breaker)
        clock.advance(by: .seconds(30))
        do {
            let probe = try permit(from: breaker)
            #expect(probe.isProbe)
            #expect(breaker.snapshot.probeInFlight)
        }
        #expect(!breaker.snapshot.probeInFlight)
        #expect(try permit(from: breaker).isProbe)
    }

    @Test func aStaleProbeCannotDecideForALaterOne() throws {
        let breaker = makeBreaker()
        try open(breaker)
        clock.advance(by: .seconds(30))
        let stale = try permit(from: breaker)
        breaker.reset()
        try open(breaker)
        clock.advance(by: .seconds(30))
        let current = try permit(from: breaker)
        stale.record(.response(status: 200))
        #expect(breaker.state == .halfOpen)
        #expect(breaker.snapshot.probeInFlight)
        current.record(.connectFailed(.refused))
        #expect(breaker.state == .open)
    }

    @Test func adminCallsReturnAndReportTheirTransitions() {
        let breaker = makeBreaker()
        #expect(breaker.forceOpen() == BreakerTransition(from: .closed, to: .open, reason: .forcedOpen))
        #expect(breaker.forceClose() == BreakerTransition(from: .open, to: .closed, reason: .forcedClosed))
        #expect(breaker.reset() == BreakerTransition(from: .closed, to: .closed, reason: .reset))
        #expect(breaker.reset() == nil)
        #expect(log.all.map(\.reason) == [.forcedOpen, .forcedClosed, .reset])
    }

    @Test func exactlyOneOfAThousandConcurrentAdmissionsBecomesTheProbe() async throws {
        let breaker = makeBreaker()
        try open(breaker)
        clock.advance(by: .seconds(30))
        // Permits are kept alive until counted: a dropped probe permit would free the slot.
        let admissions = await withTaskGroup(of: SharedCircuitBreaker<VirtualClock>.Admission.self) { group in
            for _ in 0..<1_000 {
                group.addTask { breaker.admit() }
            }
            var all: [SharedCircuitBreaker<VirtualClock>.Admission] = []
            for await admission in group { all.append(admission) }
            return all
        }
        let probes = admissions.filter { if case .allow(let permit) = $0 { permit.isProbe } else { false } }
        let rejections = admissions.filter(isRejected)
        #expect(admissions.count == 1_000)
        #expect(probes.count == 1)
        #expect(rejections.count == 999)
        #expect(log.all.filter { $0.reason == .cooldownElapsed }.count == 1)
    }
}

/// Every transition a breaker reported through `onTransition`, in arrival order.
final class TransitionLog: Sendable {
    private let transitions = Mutex<[BreakerTransition]>([])

    func append(_ transition: BreakerTransition) { transitions.withLock { $0.append(transition) } }

    var all: [BreakerTransition] { transitions.withLock { $0 } }
}
