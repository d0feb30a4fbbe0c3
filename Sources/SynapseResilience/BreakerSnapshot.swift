/// A read-only picture of a breaker, for the admin API, health output and gauges.
public struct BreakerSnapshot: Sendable, Hashable {
    /// The state as of now (an open breaker whose cooldown has ended reports `.halfOpen`).
    public var state: BreakerState
    /// Consecutive counted failures (the streak that opened the breaker while open or half-open).
    public var consecutiveFailures: Int
    /// Time left until the breaker lets a probe through; `nil` unless open on a timer.
    public var timeUntilHalfOpen: Duration?
    /// `true` while an operator's force-open or force-close is pinning the state.
    public var isForced: Bool
    /// `true` while half-open with the probe still out.
    public var probeInFlight: Bool

    public init(
        state: BreakerState,
        consecutiveFailures: Int,
        timeUntilHalfOpen: Duration?,
        isForced: Bool = false,
        probeInFlight: Bool = false
    ) {
        self.state = state
        self.consecutiveFailures = consecutiveFailures
        self.timeUntilHalfOpen = timeUntilHalfOpen
        self.isForced = isForced
        self.probeInFlight = probeInFlight
    }
}
