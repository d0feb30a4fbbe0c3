/// The three states a circuit breaker reports.
public enum BreakerState: String, Sendable, Hashable, CaseIterable {
    /// Traffic flows; connection failures are being counted.
    case closed
    /// Traffic is rejected without a connection attempt until the cooldown ends.
    case open
    /// The cooldown is over: one probe request decides whether to close or re-open.
    case halfOpen
}

/// One change of a breaker's state, returned by the call that caused it so the gateway can log it
/// and count it (`synapse_breaker_transitions_total{backend,from,to,reason}`).
public struct BreakerTransition: Sendable, Hashable, CustomStringConvertible {
    public var from: BreakerState
    public var to: BreakerState
    public var reason: Reason

    public init(from: BreakerState, to: BreakerState, reason: Reason) {
        self.from = from
        self.to = to
        self.reason = reason
    }

    /// Why the state changed. Raw values are stable strings for logs and metric labels.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// `failureThreshold` consecutive failures were counted while closed.
        case failureThreshold = "failure_threshold"
        /// The open period ended; the next request becomes the probe.
        case cooldownElapsed = "cooldown_elapsed"
        /// The probe got a response.
        case probeSucceeded = "probe_succeeded"
        /// The probe's connection failed; open for another cooldown.
        case probeFailed = "probe_failed"
        /// An operator forced the breaker open; it stays open until forced closed or reset.
        case forcedOpen = "forced_open"
        /// An operator forced the breaker closed; it stays closed until reset.
        case forcedClosed = "forced_closed"
        /// An operator reset the breaker to its initial, automatic, closed state.
        case reset
    }

    public var description: String { "\(from.rawValue) -> \(to.rawValue) (\(reason.rawValue))" }
}

/// What the breaker says about one request that wants to reach the backend.
public enum BreakerAdmission: Sendable, Hashable {
    /// Closed: go ahead.
    case allow
    /// Half-open and this request is the single probe: go ahead, then report its outcome as the probe.
    case probe
    /// Open (or a probe is already in flight): fail at once without connecting.
    ///
    /// `retryAfter` is the exact time left of the cooldown (zero while half-open); turn it into a
    /// `Retry-After` header with `Duration.retryAfterSeconds`.
    case reject(retryAfter: Duration)

    /// `true` for `.allow` and `.probe`.
    public var isAllowed: Bool {
        if case .reject = self { false } else { true }
    }
}

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
