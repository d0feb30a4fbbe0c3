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
