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

// MARK: Racing work against the deadline

/// Thrown by `Deadline.run(_:)` when the deadline passed before the work finished.
public struct DeadlineExceeded: Error, Sendable, Equatable {
    public init() {}
}

extension Deadline where C: DeadlineTimerClock {
    /// Runs `operation` until this deadline, on the deadline's clock: if the deadline passes
    /// first, `operation` is cancelled and `DeadlineExceeded` is thrown; an already expired
    /// deadline throws at once without starting it.
    ///
    /// ```
    /// task group ─┬─ operation ─────────────▶ first to finish wins, the other is cancelled
    ///             └─ timer: clock.sleep(untilDeadline:) ─▶ DeadlineExceeded
    /// ```
    /// The timer is a deadline timer, not a sleep: on a `VirtualClock` it does not make the
    /// request look parked on the clock (see `VirtualClock`). Costs one task group and two child
    /// tasks per call, so use it per request or per wait, not per chunk.
    public func run<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        guard !isExpired else { throw DeadlineExceeded() }
        let (clock, instant) = (self.clock, self.instant)
        return try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await clock.sleep(untilDeadline: instant)
                throw DeadlineExceeded()
            }
            defer { group.cancelAll() }
            // `next()` is non-nil: two children were added.
            return try await group.next()!
        }
    }
}
