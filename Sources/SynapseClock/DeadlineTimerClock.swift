/// A clock that can arm a deadline timer: a wait that races work instead of being the work.
///
/// On the real clock a timer is just a sleep. A `VirtualClock` keeps timers apart from work
/// sleeps, so a scenario driver that moves virtual time never mistakes "a request is timing its
/// upstream call" for "a request is waiting for time to pass" (see `VirtualClock`).
public protocol DeadlineTimerClock: Clock where Duration == Swift.Duration {
    /// Suspends until `deadline` as a deadline timer; throws `CancellationError` when cancelled.
    func sleep(untilDeadline deadline: Instant) async throws
}

extension ContinuousClock: DeadlineTimerClock {
    public func sleep(untilDeadline deadline: Instant) async throws {
        try await sleep(until: deadline, tolerance: nil)
    }
}
