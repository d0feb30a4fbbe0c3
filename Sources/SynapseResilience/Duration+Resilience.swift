extension Duration {
    /// The value for a `Retry-After` header: whole seconds, rounded up, at least 1.
    ///
    /// Rounding up means a client that waits exactly this long never arrives before the cooldown
    /// ends (29.2 s left → 30). The floor of 1 keeps a half-open rejection (zero left, a probe in
    /// flight) from telling clients to retry in a tight loop.
    public var retryAfterSeconds: Int {
        guard self > .zero else { return 1 }
        let (seconds, attoseconds) = components
        let whole = attoseconds > 0 ? seconds + 1 : seconds
        return Int(clamping: Swift.max(1, whole))
    }

    /// The duration in whole nanoseconds (truncated), saturating instead of overflowing.
    var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflowSum) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflowSum { return seconds < 0 ? .min : .max }
        return sum
    }
}
