import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import SynapseClock
import SynapseCore
import SynapseResilience

/// The resilience mechanism around one backend request: deadline, circuit breaker and the retry
/// loop. Policy (what counts, when to retry) lives in SynapseResilience; this type acts on it.
///
/// Time is the injected clock's, all of it: each attempt's wait for the response head races the
/// request's `Deadline` on that clock (`Deadline.run`), so a scenario on virtual time also times
/// out on virtual time. AsyncHTTPClient gets no deadline of its own; what stays with it is the
/// per-connection connect timeout (classified as `connectFailed`, hence retryable) and the pool's
/// read timeout backstop. The gateway's own wait for a connection is inside the raced call.
///
/// ```
/// loop: breaker.admit ──reject──▶ 503 circuit_open (Retry-After)
///         │ allow
///       execute(attempt) ──response──▶ permit.record(.response) ──▶ return
///         │ error → Outcome (classified once)
///       permit.record(outcome); policy.decide ──retry(after: d)──▶ sleep d on the clock ─┐
///         │ stop                                                                            │
///       map to GatewayError ◀────────────────────────────────────────────────────────────────┘
/// ```
struct UpstreamCaller: Sendable {
    let pool: BackendPool
    let breakers: BreakerRegistry<AnyClock>
    let clock: AnyClock
    let metrics: GatewayMetrics
    let events: EventFeed
    let logger: Logger
    /// Each attempt is a span of the request's trace, and carries it in `traceparent`.
    var tracer: Tracer = .propagating

    /// The response and the bookkeeping the client sees in `X-Synapse-*` headers.
    struct Result {
        var response: HTTPClientResponse
        var attempts: Int
        /// Time spent waiting on the backend and in backoff: not gateway overhead.
        var waited: Duration
    }

    /// Thrown when the request failed; carries the attempts made for the response headers.
    struct Failure: Error {
        var error: GatewayError
        var attempts: Int
    }

    /// Sends `request` to `backend` within `timeout`. A retry sends the same `HTTPClientRequest`
    /// again, so its body must be replayable: `.bytes`, or an `UpstreamBody` stream, which a
    /// failed connection leaves untouched (AsyncHTTPClient pulls a body only once the connection
    /// is up, and an attempt that did send bytes is never retried).
    ///
    /// `deadline` is the request's, made once where it arrived; nil makes one `timeout` from now.
    /// `timeout` is what a 504 reports.
    func call(_ request: HTTPClientRequest, backend: BackendConfig, timeout: Duration, deadline: Deadline<AnyClock>? = nil) async throws -> Result {
        let client = pool.client(for: backend.id)
        let target = AttemptTarget(method: request.method.rawValue, url: request.url)
        return try await call(backend: backend, target: target, timeout: timeout, deadline: deadline) { [logger] backstop, span in
            guard let client else { throw UpstreamFailure.other("no client for backend \(backend.id)") }
            guard let span, Self.needsTraceHeader(request.headers, for: span) else {
                return try await client.execute(request, deadline: backstop, logger: logger)
            }
            var request = request
            Self.propagate(span.context, into: &request.headers)
            return try await client.execute(request, deadline: backstop, logger: logger)
        }
    }

    /// Sends `request` to `backend` over the gateway's own client when the backend has a pool
    /// there (plain `http`), else as an `HTTPClientRequest` through AsyncHTTPClient. A retry sends
    /// the same body again: `.bytes`, or a `BodySource` that a failed connection left untouched
    /// (the body is pulled only once the connection is up).
    func call(_ request: UpstreamClient.Request, backend: BackendConfig, timeout: Duration, deadline: Deadline<AnyClock>? = nil) async throws -> Result {
        guard let connections = pool.upstream.pool(for: backend.id, on: request.eventLoop) else {
            var fallback = HTTPClientRequest(url: backend.url.origin + request.target)
            fallback.method = request.method
            fallback.headers = request.headers
            fallback.body = request.body.requestBody
            return try await call(fallback, backend: backend, timeout: timeout, deadline: deadline)
        }
        let client = pool.upstream
        let target = AttemptTarget(method: request.method.rawValue, url: backend.url.origin + request.target)
        return try await call(backend: backend, target: target, timeout: timeout, deadline: deadline) { backstop, span in
            guard let span, Self.needsTraceHeader(request.headers, for: span) else {
                return try await client.execute(request, on: connections, deadline: backstop)
            }
            var request = request
            Self.propagate(span.context, into: &request.headers)
            return try await client.execute(request, on: connections, deadline: backstop)
        }
    }

    /// The loop around `attempt`, which sends once and returns the response head, within the
    /// `NIODeadline` it is given (the request's deadline as a real-time backstop), carrying the
    /// attempt's span context when the request has a trace.
    private func call(
        backend: BackendConfig, target: AttemptTarget, timeout: Duration, deadline: Deadline<AnyClock>?,
        attempt send: @escaping @Sendable (NIODeadline, AttemptSpan?) async throws -> HTTPClientResponse
    ) async throws -> Result {
        let trace = Tracer.current
        let policy = RetryPolicy(configuration: .init(backend.retry))
        let deadline = deadline ?? Deadline(after: timeout, clock: clock)
        let breaker = breakers[backend.id]
        // Concurrency first (a busy backend is not a failing one): the slot is held until the
        // response head or the failure, retries and their backoff included.
        let limiter = pool.limiter(for: backend.id)
        do {
            try await limiter?.acquire()
        } catch is InFlightLimiter.Saturated {
            throw Failure(
                error: .backendSaturated(backend.id, maxInFlight: limiter?.maxInFlight ?? 0, queueTimeout: backend.limits.queueTimeout),
                attempts: 0)
        }
        defer { limiter?.release() }
        var attempt = 1
        var waited = Duration.zero
        while true {
            let permit: BreakerPermit?
            let span = trace.map { AttemptSpan(tracer: tracer, parent: $0, backend: backend.id, target: target, attempt: attempt) }
            switch breaker?.admit() {
            case .reject(let retryAfter):
                span?.finish(breaker: "reject", error: "circuit open")
                throw Failure(error: .circuitOpen(backend.id, retryAfter: retryAfter.retryAfterSeconds), attempts: attempt - 1)
            case .allow(let granted): permit = granted
            case nil: permit = nil
            }
            let admitted = permit?.isProbe == true ? "probe" : "allow"
            guard !deadline.isExpired else {
                permit?.cancel()
                events.publish(.timeout, backend: backend.id.rawValue, [("after_ms", .number(timeout.milliseconds))])
                throw Failure(error: .upstreamTimeout(backend.id, after: timeout), attempts: attempt - 1)
            }
            let started = ContinuousClock.now
            do {
                let response = try await execute(within: deadline) { try await send($0, span) }
                let outcome = Outcome.response(status: Int(response.status.code))
                permit?.record(outcome)
                span?.finish(breaker: admitted, status: Int(response.status.code))
                let elapsed = ContinuousClock.now - started
                metrics.attempt(backend: backend.id, outcome: outcome, duration: elapsed)
                return Result(response: response, attempts: attempt, waited: waited + elapsed)
            } catch {
                // The client's body framing broke while it streamed upstream: the client's fault, not the backend's.
                if GatewayError.isClientFramingError(error) {
                    permit?.cancel()
                    span?.finish(breaker: admitted, error: "client body framing")
                    throw Failure(error: .malformedFraming(), attempts: attempt)
                }
                let failure = UpstreamFailure.classify(error)
                let outcome = failure.outcome
                permit?.record(outcome)
                span?.finish(breaker: admitted, error: outcome.label)
                let elapsed = ContinuousClock.now - started
                waited += elapsed
                metrics.attempt(backend: backend.id, outcome: outcome, duration: elapsed)
                if let tooLarge = error as? RequestBodyCheck.TooLarge { throw Failure(error: .payloadTooLarge(limit: tooLarge.limit), attempts: attempt) }
                // The client's side failed (e.g. too slow, from `ConnectionGuard`): its own answer.
                if let clientError = error as? GatewayError { throw Failure(error: clientError, attempts: attempt) }
                if case .cancelled = failure { throw CancellationError() }
                // Jitter is off unless configured; when on, it draws from the system generator.
                var generator = SystemRandomNumberGenerator()
                let decision = policy.decide(
                    after: outcome, attempt: attempt, timeLeft: deadline.remaining,
                    circuit: breaker?.state ?? .closed, using: &generator)
                switch decision {
                case .retry(let delay):
                    logger.debug("retrying", metadata: ["synapse.backend": "\(backend.id)", "synapse.attempt": "\(attempt)", "synapse.delay": "\(delay)"])
                    metrics.retry(backend: backend.id)
                    events.publish(
                        .retry, backend: backend.id.rawValue,
                        [("attempt", .number(Double(attempt))), ("delay_ms", .number(delay.milliseconds)), ("cause", .string(outcome.label))])
                    let sleepStarted = ContinuousClock.now
                    try await clock.sleep(for: delay)
                    waited += ContinuousClock.now - sleepStarted
                    attempt += 1
                case .stop(.circuitOpen):
                    let retryAfter = breaker?.snapshot.timeUntilHalfOpen ?? backend.breaker.openFor
                    throw Failure(error: .circuitOpen(backend.id, retryAfter: retryAfter.retryAfterSeconds), attempts: attempt)
                case .stop:
                    if case .deadlineExceeded = failure {
                        events.publish(.timeout, backend: backend.id.rawValue, [("after_ms", .number(timeout.milliseconds))])
                    }
                    throw Failure(error: failure.gatewayError(backend: backend.id, timeout: timeout), attempts: attempt)
                }
            }
        }
    }
}

extension UpstreamFailure {
    /// The breaker's and retry policy's view of this failure.
    var outcome: Outcome {
        switch self {
        case .connectFailed(let reason):
            switch reason {
            case "connect timeout": return .connectFailed(.timedOut)
            case "cannot resolve host": return .connectFailed(.dnsFailure)
            case "connection refused": return .connectFailed(.refused)
            default: return .connectFailed(.other)
            }
        // AsyncHTTPClient does not say how much of the request left before a reset, so a reset
        // is treated as "request sent": not retried, not counted (the conservative reading).
        case .reset: return .reset(beforeRequestSent: false)
        case .deadlineExceeded: return .timedOut(.deadline)
        case .malformedResponse, .other: return .reset(beforeRequestSent: false)
        case .cancelled: return .cancelled
        case .tlsFailed: return .tlsFailed
        }
    }

    func gatewayError(backend: BackendID, timeout: Duration) -> GatewayError {
        switch self {
        case .connectFailed(let reason): return .backendUnavailable(backend, reason: reason)
        case .deadlineExceeded: return .upstreamTimeout(backend, after: timeout)
        case .reset: return .badGateway(backend, reason: "connection closed before a response")
        case .malformedResponse(let reason), .other(let reason): return .badGateway(backend, reason: reason)
        case .cancelled: return .internalError("cancelled")
        case .tlsFailed(let reason): return .backendTLSFailed(backend, reason: reason)
        }
    }
}

extension UpstreamCaller {
    /// One attempt's wait for the response head, within the request's deadline.
    ///
    /// On the continuous clock the deadline's instant goes to the client (AsyncHTTPClient or
    /// `UpstreamClient`) as its own event-loop timer: racing a sleeping task costs a task group, two child tasks and a timer
    /// per request, which the pass-through benchmark showed as about a third of the gateway's
    /// throughput on small requests. On a virtual clock the wait races the deadline as a deadline
    /// timer (it never makes this request look parked, so a scenario driver does not jump it
    /// while bytes are still moving; see TimeDriver), and AsyncHTTPClient still gets the time left
    /// as a real-time backstop, as it always had before the clock moved: it never waits without a
    /// deadline of its own, whatever the virtual clock does.
    func execute(
        within deadline: Deadline<AnyClock>, _ send: @escaping @Sendable (NIODeadline) async throws -> HTTPClientResponse
    ) async throws -> HTTPClientResponse {
        let backstop = NIODeadline.now() + .nanoseconds(deadline.remaining.nanoseconds)
        guard deadline.clock.isContinuous else {
            return try await deadline.run { try await send(backstop) }
        }
        return try await send(backstop)
    }
}
