import SynapseClock
import SynapseCore
import SynapseResilience
import Testing

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy()
    let refused = Outcome.connectFailed(.refused)

    func decide(
        _ outcome: Outcome,
        attempt: Int,
        timeLeft: Duration? = nil,
        circuit: BreakerState = .closed
    ) -> RetryPolicy.Decision {
        var generator = SplitMix64(seed: 1)
        return policy.decide(after: outcome, attempt: attempt, timeLeft: timeLeft, circuit: circuit, using: &generator)
    }

    @Test func retriesAConnectFailureAfterHalfASecondThenOneThenTwoSeconds() {
        #expect(decide(refused, attempt: 1) == .retry(after: .milliseconds(500)))
        #expect(decide(refused, attempt: 2) == .retry(after: .seconds(1)))
        #expect(decide(refused, attempt: 3) == .retry(after: .seconds(2)))
    }

    @Test func stopsAfterTheFourthAttempt() {
        #expect(policy.maxAttempts == 4)
        #expect(decide(refused, attempt: 4) == .stop(.attemptsExhausted))
    }

    @Test func aWholeRunOfConnectFailuresMakesFourAttemptsWaitingThreeAndAHalfSeconds() {
        var attempts = 1
        var waited = Duration.zero
        while case .retry(let delay) = decide(refused, attempt: attempts) {
            waited += delay
            attempts += 1
        }
        #expect(attempts == 4)
        #expect(waited == .milliseconds(3_500))
    }

    @Test func retriesAResetThatHappenedBeforeTheRequestWasSent() {
        #expect(decide(.reset(beforeRequestSent: true), attempt: 1) == .retry(after: .milliseconds(500)))
    }

    @Test(arguments: [
        (Outcome.response(status: 500), RetryPolicy.StopReason.response),
        (.response(status: 503), .response),
        (.response(status: 200), .response),
        (.timedOut(.responseHead), .timedOut),
        (.timedOut(.idle), .timedOut),
        (.timedOut(.deadline), .timedOut),
        (.reset(beforeRequestSent: false), .requestSent),
        (.cancelled, .cancelled),
    ])
    func neverRetriesOnceTheRequestMayHaveReachedTheBackend(_ outcome: Outcome, _ reason: RetryPolicy.StopReason) {
        #expect(decide(outcome, attempt: 1) == .stop(reason))
    }

    @Test func stopsWhenTheBreakerHasOpenedMidRetry() {
        #expect(decide(refused, attempt: 2, circuit: .open) == .stop(.circuitOpen))
        #expect(decide(refused, attempt: 2, circuit: .halfOpen) == .retry(after: .seconds(1)))
    }

    @Test func stopsOnceTheSharedBreakerOpensDuringARetryLoop() throws {
        let clock = VirtualClock()
        let breaker = SharedCircuitBreaker(configuration: .init(failureThreshold: 2), clock: clock)
        var decisions: [RetryPolicy.Decision] = []
        for attempt in 1...4 {
            guard case .allow(let permit) = breaker.admit() else { break }
            permit.record(refused)
            let decision = decide(refused, attempt: attempt, circuit: breaker.state)
            decisions.append(decision)
            guard case .retry(let delay) = decision else { break }
            clock.advance(by: delay)
        }
        #expect(decisions == [.retry(after: .milliseconds(500)), .stop(.circuitOpen)])
    }

    @Test func stopsWhenTheNextDelayWouldEndAtOrPastTheDeadline() {
        #expect(decide(refused, attempt: 2, timeLeft: .milliseconds(1_001)) == .retry(after: .seconds(1)))
        #expect(decide(refused, attempt: 2, timeLeft: .seconds(1)) == .stop(.deadline))
        #expect(decide(refused, attempt: 3, timeLeft: .milliseconds(1_900)) == .stop(.deadline))
    }

    @Test func readsTheTimeLeftFromADeadline() {
        let clock = VirtualClock()
        let deadline = Deadline(after: .seconds(3), clock: clock)
        #expect(policy.decide(after: refused, attempt: 3, deadline: deadline) == .retry(after: .seconds(2)))
        clock.advance(by: .milliseconds(1_500))
        #expect(policy.decide(after: refused, attempt: 3, deadline: deadline) == .stop(.deadline))
    }

    @Test func aCustomScheduleSetsBothDelaysAndTheAttemptLimit() {
        let custom = RetryPolicy(configuration: .init(delays: [.milliseconds(100)]))
        var generator = SplitMix64(seed: 7)
        #expect(custom.maxAttempts == 2)
        #expect(custom.decide(after: refused, attempt: 1, timeLeft: nil, using: &generator) == .retry(after: .milliseconds(100)))
        #expect(custom.decide(after: refused, attempt: 2, timeLeft: nil, using: &generator) == .stop(.attemptsExhausted))
        let never = RetryPolicy(configuration: .never)
        #expect(never.decide(after: refused, attempt: 1, timeLeft: nil, using: &generator) == .stop(.attemptsExhausted))
    }

    @Test func jitteredDelaysAreReproducibleWithTheSameSeed() {
        let jittered = RetryPolicy(configuration: .init(delays: Backoff.defaultDelays, jitter: .full))
        func run(seed: UInt64) -> [RetryPolicy.Decision] {
            var generator = SplitMix64(seed: seed)
            return (1...4).map { jittered.decide(after: refused, attempt: $0, timeLeft: nil, using: &generator) }
        }
        #expect(run(seed: 42) == run(seed: 42))
        #expect(run(seed: 42) != run(seed: 43))
        #expect(run(seed: 42).last == .stop(.attemptsExhausted))
    }
}
