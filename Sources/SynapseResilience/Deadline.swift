/// The instant by which a request must be finished, on a given clock.
///
/// An incoming timeout becomes a `Deadline` once, at the edge; every await below it asks for
/// `remaining` instead of starting a fresh timeout, so retries and backoff sleeps can never stretch a
/// request past what the client (or the timeout profile) allowed.
public struct Deadline<C: Clock>: Sendable where C.Duration == Duration {
    /// The instant the request must be done by.
    public let instant: C.Instant
    /// The clock `instant` is on; `remaining` and `isExpired` read its `now`.
    public let clock: C

    /// A deadline at a given instant.
    public init(_ instant: C.Instant, clock: C) {
        self.instant = instant
        self.clock = clock
    }

    /// A deadline `timeout` from now.
    public init(after timeout: Duration, clock: C) {
        self.init(clock.now.advanced(by: timeout), clock: clock)
    }

    /// Time left until the deadline; zero once it has passed, never negative.
    public var remaining: Duration {
        let left = clock.now.duration(to: instant)
        return left > .zero ? left : .zero
    }

    /// `true` once the deadline has been reached.
    public var isExpired: Bool { clock.now >= instant }

    /// This deadline or one `timeout` from now, whichever comes first: how a client's own, possibly
    /// shorter, timeout narrows the profile's deadline.
    public func limited(to timeout: Duration?) -> Deadline {
        guard let timeout else { return self }
        let other = clock.now.advanced(by: timeout)
        return other < instant ? Deadline(other, clock: clock) : self
    }

    /// A timeout for one step (connect, idle wait) that never outlives the deadline:
    /// `min(limit, remaining)`.
    public func timeout(cappedAt limit: Duration) -> Duration {
        Swift.min(limit, remaining)
    }
}
