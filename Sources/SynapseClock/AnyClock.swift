/// Any clock measured in `Duration`, behind one concrete type.
///
/// The policies are generic over their clock, which keeps them exact in tests; a component that
/// should not itself be generic (the gateway's forwarder, a registry stored in the app) can hold
/// `CircuitBreaker<AnyClock>`, `Deadline<AnyClock>` and friends instead, built from
/// `.continuous` in production and from a `VirtualClock` in tests and scenarios.
///
/// Instants are offsets from the moment the wrapper was made; they compare and subtract only with
/// instants of the same wrapper. Deadline timers reach the wrapped clock as timers when it is a
/// `VirtualClock` (or the real clock), so the wrapper keeps the timer/sleeper distinction.
public struct AnyClock: DeadlineTimerClock {
    /// A point on the wrapped clock: time since the wrapper was created.
    public struct Instant: InstantProtocol, CustomStringConvertible {
        public var offset: Duration

        public init(offset: Duration) { self.offset = offset }

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
        public var description: String { "t+\(offset)" }
    }

    private let elapsed: @Sendable () -> Duration
    private let sleepUntil: @Sendable (Duration, Duration?) async throws -> Void
    private let timerUntil: @Sendable (Duration) async throws -> Void
    public let minimumResolution: Duration
    /// True when the wrapped clock is the system's continuous clock: its deadlines may then be
    /// handed to an I/O layer's own timer (same instant, cheaper than racing a sleeping task).
    public let isContinuous: Bool

    /// Wraps `clock`; its current instant becomes this clock's zero. Wrapping an `AnyClock`
    /// returns it unchanged.
    public init<C: Clock>(_ clock: C) where C.Duration == Duration {
        if let wrapped = clock as? AnyClock {
            self = wrapped
            return
        }
        let origin = clock.now
        elapsed = { origin.duration(to: clock.now) }
        sleepUntil = { offset, tolerance in try await clock.sleep(until: origin.advanced(by: offset), tolerance: tolerance) }
        if let virtual = clock as? VirtualClock, let start = origin as? VirtualClock.Instant {
            timerUntil = { offset in try await virtual.sleep(untilDeadline: start.advanced(by: offset)) }
        } else {
            // Any other clock has no notion of timers: a timer is a plain sleep.
            timerUntil = { offset in try await clock.sleep(until: origin.advanced(by: offset), tolerance: nil) }
        }
        minimumResolution = clock.minimumResolution
        isContinuous = clock is ContinuousClock
    }

    /// The system's monotonic clock (keeps counting while the machine sleeps).
    public static var continuous: AnyClock { AnyClock(ContinuousClock()) }

    public var now: Instant { Instant(offset: elapsed()) }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try await sleepUntil(deadline.offset, tolerance)
    }

    public func sleep(untilDeadline deadline: Instant) async throws {
        try await timerUntil(deadline.offset)
    }
}
