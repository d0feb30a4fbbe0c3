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
