import SynapseClock

/// When to try a backend again after a failed attempt. Immutable rules; each decision is a pure
/// function of the last outcome, the attempt number, the time left and the breaker's state.
///
/// Only a failed connection is retried (the request never reached the backend, so even a POST is
/// safe to resend). Everything else stops: any response (a 5xx included, and any response byte
/// means the stream has begun), a timeout after connecting, a reset after the request left, or a
/// cancelled client.
///
/// The gateway's loop, per request:
/// ```
/// attempt = 1
/// loop:
///   breaker.admit()            reject → stop (circuitOpen)
///   outcome = send(deadline)   permit.record(outcome)
///   decide(after: outcome, attempt:, deadline:, circuit: breaker.state)
///     .retry(after: d)  → sleep d on the same clock, attempt += 1, loop
///     .stop(reason)     → map to the response or GatewayError
/// ```
public struct RetryPolicy: Sendable, Hashable {
    /// Retry rules. Defaults: 3 retries after 0.5 s, 1 s and 2 s (4 attempts in all), no jitter.
    public struct Configuration: Sendable, Hashable {
        /// The delay before each retry; its length is the retry limit.
        public var backoff: Backoff

        public init(backoff: Backoff = Backoff()) {
            self.backoff = backoff
        }

        /// Retries after `delays` (the count is the retry limit), jittered as given.
        public init(delays: [Duration], jitter: Backoff.Jitter = .none) {
            self.backoff = Backoff(delays: delays, jitter: jitter)
        }

        /// No retries at all: one attempt per request.
        public static let never = Configuration(delays: [])
    }

    /// What to do after an attempt.
    public enum Decision: Sendable, Hashable {
        /// Wait this long, ask the breaker again, then make the next attempt.
        case retry(after: Duration)
        /// Make no further attempt.
        case stop(StopReason)
    }

    /// Why no further attempt is made. Raw values are stable strings for logs and metrics.
    public enum StopReason: String, Sendable, Hashable, CaseIterable {
        /// The backend answered (any status); the answer is final.
        case response
        /// A timeout fired after connecting; the request may be in progress upstream.
        case timedOut = "timed_out"
        /// The connection broke after the request left; the backend may have acted on it.
        case requestSent = "request_sent"
        /// The client went away.
        case cancelled
        /// Every retry in the schedule has been used.
        case attemptsExhausted = "attempts_exhausted"
        /// The next retry could not start before the request's deadline.
        case deadline
        /// The breaker is open, so another attempt would be rejected anyway.
        case circuitOpen = "circuit_open"
        /// The TLS handshake failed: a certificate problem, which another attempt repeats.
        case tlsFailed = "tls_failed"
    }

    public let configuration: Configuration

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Attempts per request at most: the first one plus every retry in the schedule.
    public var maxAttempts: Int { configuration.backoff.maxRetries + 1 }

    /// Decides what follows attempt number `attempt` (1-based) that ended with `outcome`.
    ///
    /// - Parameters:
    ///   - timeLeft: time until the request's deadline, `nil` for none. A retry whose delay would
    ///     end at or after the deadline is not started: it could not do anything useful.
    ///   - circuit: the breaker's state right now; an open breaker stops retrying.
    ///   - generator: the source of jitter; untouched when the backoff has none.
    public func decide(
        after outcome: Outcome,
        attempt: Int,
        timeLeft: Duration?,
        circuit: BreakerState = .closed,
        using generator: inout some RandomNumberGenerator
    ) -> Decision {
        precondition(attempt >= 1, "attempts are numbered from 1")
        switch outcome {
        case .response: return .stop(.response)
        case .timedOut: return .stop(.timedOut)
        case .cancelled: return .stop(.cancelled)
        case .reset(beforeRequestSent: false): return .stop(.requestSent)
        case .tlsFailed: return .stop(.tlsFailed)
        case .connectFailed, .reset(beforeRequestSent: true): break
        }
        // Retry n follows attempt n, so the last delay in the table (the 2 s step) is reachable:
        // attempt 3 fails → retry 3 after delays[2].
        guard let delay = configuration.backoff.delay(beforeRetry: attempt, using: &generator) else {
            return .stop(.attemptsExhausted)
        }
        if circuit == .open { return .stop(.circuitOpen) }
        if let timeLeft, delay >= timeLeft { return .stop(.deadline) }
        return .retry(after: delay)
    }

    /// `decide(after:attempt:timeLeft:circuit:using:)` with the time left taken from `deadline`.
    public func decide<C: Clock>(
        after outcome: Outcome,
        attempt: Int,
        deadline: Deadline<C>,
        circuit: BreakerState = .closed,
        using generator: inout some RandomNumberGenerator
    ) -> Decision where C.Duration == Duration {
        decide(after: outcome, attempt: attempt, timeLeft: deadline.remaining, circuit: circuit, using: &generator)
    }

    /// `decide(after:attempt:deadline:circuit:using:)` drawing any jitter from the system generator.
    public func decide<C: Clock>(
        after outcome: Outcome,
        attempt: Int,
        deadline: Deadline<C>,
        circuit: BreakerState = .closed
    ) -> Decision where C.Duration == Duration {
        var generator = SystemRandomNumberGenerator()
        return decide(after: outcome, attempt: attempt, deadline: deadline, circuit: circuit, using: &generator)
    }
}
