import SynapseClock
import SynapseResilience
import Testing

/// The breaker, retry policy and deadline composed the way the gateway's forwarder uses them,
/// against a scripted backend. Backoff waits move a `VirtualClock` forward, so the breaker's
/// cooldown and the deadline see the time the retries take.
@Suite struct RetryLoopTests {
    /// How one request ended.
    enum Ending: Equatable {
        /// Rejected by the breaker before any attempt.
        case rejected(retryAfter: Duration)
        /// Stopped after `attempts` attempts reached the backend.
        case stopped(RetryPolicy.StopReason, attempts: Int)
    }

    let clock = VirtualClock()
    let policy = RetryPolicy()

    /// The forwarder's loop in miniature: admit, attempt, record, decide, wait.
    /// `attemptTimes` collects the clock offset of every attempt that reached the backend.
    func send(
        through breaker: SharedCircuitBreaker<VirtualClock>,
        timeout: Duration = .seconds(60),
        attemptTimes: inout [Duration],
        wait: (Duration) -> Void = { _ in },
        backend: (Int) -> Outcome
    ) -> Ending {
        let deadline = Deadline(after: timeout, clock: clock)
        var attempt = 1
        while true {
            let permit: BreakerPermit
            switch breaker.admit() {
            case .reject(let retryAfter):
                return attempt == 1 ? .rejected(retryAfter: retryAfter) : .stopped(.circuitOpen, attempts: attempt - 1)
            case .allow(let allowed):
                permit = allowed
            }
            attemptTimes.append(clock.now.offset)
            let outcome = backend(attempt)
            permit.record(outcome)
            switch policy.decide(after: outcome, attempt: attempt, deadline: deadline, circuit: breaker.state) {
            case .retry(let delay):
                wait(delay)
                clock.advance(by: delay)
                attempt += 1
            case .stop(let reason):
                return .stopped(reason, attempts: attempt)
            }
        }
    }

    @Test func aDeadBackendGetsFourAttemptsAtZeroHalfOneAndAHalfAndThreeAndAHalfSeconds() {
        let breaker = SharedCircuitBreaker(configuration: .init(failureThreshold: 10), clock: clock)
        var times: [Duration] = []
        let ending = send(through: breaker, attemptTimes: &times) { _ in .connectFailed(.refused) }
        #expect(ending == .stopped(.attemptsExhausted, attempts: 4))
        #expect(times == [.zero, .milliseconds(500), .milliseconds(1_500), .milliseconds(3_500)])
    }

    @Test func retriesCountTowardsTheBreakerSoTheNextRequestOpensItAndTheOneAfterIsRejected() {
        let breaker = SharedCircuitBreaker(clock: clock)
        var times: [Duration] = []
        #expect(send(through: breaker, attemptTimes: &times) { _ in .connectFailed(.refused) } == .stopped(.attemptsExhausted, attempts: 4))
        #expect(breaker.snapshot.consecutiveFailures == 4)
        #expect(send(through: breaker, attemptTimes: &times) { _ in .connectFailed(.refused) } == .stopped(.circuitOpen, attempts: 1))
        clock.advance(by: .milliseconds(800))
        #expect(send(through: breaker, attemptTimes: &times) { _ in .response(status: 200) } == .rejected(retryAfter: .milliseconds(29_200)))
        #expect(times.count == 5)
    }

    @Test func aBackendThatComesBackOnTheThirdAttemptAnswersAndClearsTheCount() {
        let breaker = SharedCircuitBreaker(clock: clock)
        var times: [Duration] = []
        let ending = send(through: breaker, attemptTimes: &times) { $0 < 3 ? .connectFailed(.timedOut) : .response(status: 200) }
        #expect(ending == .stopped(.response, attempts: 3))
        #expect(breaker.snapshot.consecutiveFailures == 0)
    }

    @Test func aRetryThatCannotStartBeforeTheDeadlineIsNotMade() {
        let breaker = SharedCircuitBreaker(clock: clock)
        var times: [Duration] = []
        let ending = send(through: breaker, timeout: .seconds(2), attemptTimes: &times) { _ in .connectFailed(.refused) }
        // Attempt 3 starts at 1.5 s; waiting 2 s more would end at 3.5 s, past the 2 s deadline.
        #expect(ending == .stopped(.deadline, attempts: 3))
        #expect(times == [.zero, .milliseconds(500), .milliseconds(1_500)])
    }

    @Test func whenOtherTrafficOpensTheBreakerDuringABackoffTheRetryIsNotMade() {
        let breaker = SharedCircuitBreaker(clock: clock)
        var times: [Duration] = []
        let ending = send(
            through: breaker, attemptTimes: &times,
            wait: { _ in
                // Four other requests fail while this one waits out its first backoff.
                for _ in 0..<4 {
                    if case .allow(let permit) = breaker.admit() { permit.record(.connectFailed(.refused)) }
                }
            }
        ) { _ in .connectFailed(.refused) }
        #expect(ending == .stopped(.circuitOpen, attempts: 1))
        #expect(breaker.state == .open)
    }

    @Test func aFiveHundredIsPassedOnWithoutARetry() {
        let breaker = SharedCircuitBreaker(clock: clock)
        var times: [Duration] = []
        #expect(send(through: breaker, attemptTimes: &times) { _ in .response(status: 500) } == .stopped(.response, attempts: 1))
        #expect(send(through: breaker, attemptTimes: &times) { _ in .timedOut(.responseHead) } == .stopped(.timedOut, attempts: 1))
        #expect(times == [.zero, .zero])
    }
}
