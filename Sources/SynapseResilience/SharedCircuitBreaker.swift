import Synchronization

/// A `CircuitBreaker` shared by every task that talks to one backend.
///
/// The breaker lives in a `Mutex`; each call holds the lock only for a few comparisons, so 1,000
/// concurrent `admit()` calls at the end of a cooldown see exactly one `.probe`. Transitions are
/// returned by the admin calls and also passed to `onTransition` (after the lock is released, so
/// the handler may log, update metrics or even read `snapshot`).
///
/// ```swift
/// switch breaker.admit() {
/// case .reject(let retryAfter):
///     throw GatewayError.circuitOpen(backend, retryAfter: retryAfter.retryAfterSeconds)
/// case .allow(let permit):
///     let outcome = await attempt()      // classified once at the client edge
///     permit.record(outcome)             // exactly once; dropping the permit counts as cancelled
/// }
/// ```
public final class SharedCircuitBreaker<C: Clock>: Sendable where C.Duration == Duration {
    /// What `admit()` says about one request.
    public enum Admission: Sendable {
        /// Try the backend, then settle the permit with the attempt's outcome.
        case allow(BreakerPermit)
        /// Fail at once (503 `circuit_open`); `retryAfter` is the exact time left of the cooldown
        /// (zero while a probe is out). Use `retryAfter.retryAfterSeconds` for the header.
        case reject(retryAfter: Duration)
    }

    private let breaker: Mutex<CircuitBreaker<C>>
    private let onTransition: @Sendable (BreakerTransition) -> Void
    /// The rules this breaker follows.
    public let configuration: CircuitBreakerConfiguration

    /// - Parameter onTransition: called once per state change, outside the lock. Calls from
    ///   different tasks may reach it in either order; it must not block.
    public init(
        configuration: CircuitBreakerConfiguration = .init(),
        clock: C,
        onTransition: @escaping @Sendable (BreakerTransition) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.breaker = Mutex(CircuitBreaker(configuration: configuration, clock: clock))
        self.onTransition = onTransition
    }

    /// Decides whether one request may try the backend now.
    public func admit() -> Admission {
        var transition: BreakerTransition?
        let (admission, probe) = breaker.withLock { $0.admitProbe { transition = $0 } }
        if let transition { onTransition(transition) }
        switch admission {
        case .reject(let retryAfter):
            return .reject(retryAfter: retryAfter)
        case .allow:
            return .allow(BreakerPermit(isProbe: false) { [self] in deliver($0, probe: nil) })
        case .probe:
            return .allow(BreakerPermit(isProbe: true) { [self] in deliver($0, probe: probe) })
        }
    }

    /// The breaker as of now.
    public var snapshot: BreakerSnapshot { breaker.withLock { $0.snapshot } }

    /// The state as of now; shorthand for `snapshot.state`.
    public var state: BreakerState { snapshot.state }

    // MARK: Admin

    /// Pins the breaker open until `forceClose()` or `reset()`.
    @discardableResult
    public func forceOpen() -> BreakerTransition? { mutate { $0.forceOpen() } }

    /// Pins the breaker closed until `reset()`.
    @discardableResult
    public func forceClose() -> BreakerTransition? { mutate { $0.forceClose() } }

    /// Back to closed, automatic, no failures counted; an outstanding probe no longer decides anything.
    @discardableResult
    public func reset() -> BreakerTransition? { mutate { $0.reset() } }

    // MARK: Private

    /// Applies a settled permit's outcome (a cancelled probe just frees its slot).
    private func deliver(_ outcome: Outcome, probe: UInt64?) {
        mutate { $0.record(outcome, probe: probe) }
    }

    @discardableResult
    private func mutate(_ body: (inout CircuitBreaker<C>) -> BreakerTransition?) -> BreakerTransition? {
        let transition = breaker.withLock { body(&$0) }
        if let transition { onTransition(transition) }
        return transition
    }
}
