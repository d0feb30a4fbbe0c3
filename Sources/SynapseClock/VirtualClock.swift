import Synchronization

/// A `Clock` that moves only when told: by a test (`advance(by:)`) or by the scenario runner's
/// `TimeDriver`.
///
/// `sleep(until:)` really suspends until the clock is advanced to (or past) its deadline, so code
/// that sleeps on an injected clock — the gateway's breaker cooldowns and retry backoff, the mocks'
/// latencies, token pacing and pings (`mockTime`) — can be driven step by step; sleepers due at
/// once wake earliest deadline first. `waitForSleepers(count:)` lets a test wait for the code to
/// reach its sleep (an event, not a real delay); `activity` changes whenever a sleep starts or
/// ends, so a driver can tell when everything has gone quiet and time may move on to
/// `nextDeadline`. Sleeps honour task cancellation by throwing `CancellationError`.
///
/// Two kinds of waits, because a scenario driver must treat them differently:
///
/// | wait | started by | counts in `sleeperCount` | in `nextDeadline` | in `nextWorkDeadline` |
/// | --- | --- | --- | --- | --- |
/// | work sleep | `sleep(until:)`: backoff, cooldowns, a mock's latency | yes | yes | yes |
/// | parked | `park()`: a mock's `hang`, waiting for nothing but to be cancelled | yes | no | no |
/// | deadline timer | `sleep(untilDeadline:)`: a timer racing work (`Deadline.run`) | no | yes | no |
///
/// A sleeper is a task that waits for time and nothing else, so "as many sleepers as requests in
/// flight" means every request is parked on the clock. A deadline timer says nothing about the
/// work it races — that work may be moving real bytes — so it never counts as a sleeper; a driver
/// may jump to it only once the work itself is accounted for by sleepers (see `TimeDriver`).
public final class VirtualClock: DeadlineTimerClock, Sendable {
    /// A point on a `VirtualClock`: the time elapsed since the clock's zero.
    public struct Instant: InstantProtocol, CustomStringConvertible {
        /// Time since the clock's zero.
        public var offset: Duration

        public init(offset: Duration = .zero) { self.offset = offset }

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
        public var description: String { "t+\(offset)" }
    }

    /// One call to `sleep(until:)` or `waitForSleepers(count:)`, from start to resumption.
    private enum Entry {
        /// Started, continuation not stored yet.
        case starting
        /// Cancelled before its continuation was stored: resume at once when it is.
        case cancelled
        /// A work sleep (`isTimer` false) or a deadline timer.
        case sleeping(until: Instant, isTimer: Bool, CheckedContinuation<Void, any Error>)
        /// Parked: a sleeper with no wake-up time, resumed only by cancellation.
        case parked(CheckedContinuation<Void, any Error>)
        case waitingForSleepers(count: Int, CheckedContinuation<Void, any Error>)
    }

    private struct State {
        var now: Instant
        var nextID: UInt64 = 0
        var entries: [UInt64: Entry] = [:]
        /// Bumped whenever a sleep starts or ends: "something happened on this clock".
        var activity: UInt64 = 0
        /// `activity` right after the last deadline timer fired, if one ever did.
        var activityWhenATimerFired: UInt64?

        /// Work sleeps only: deadline timers are not sleepers (see the type's summary).
        var sleeperCount: Int {
            entries.values.count {
                switch $0 {
                case .sleeping(_, false, _), .parked: true
                default: false
                }
            }
        }

        var timerCount: Int {
            entries.values.count { if case .sleeping(_, true, _) = $0 { true } else { false } }
        }

        /// The earliest wake-up among work sleeps, and among timers too when `timers`.
        func earliest(includingTimers timers: Bool) -> Instant? {
            entries.values.compactMap { entry -> Instant? in
                guard case .sleeping(let deadline, let isTimer, _) = entry, timers || !isTimer else { return nil }
                return deadline
            }.min()
        }

        /// Removes and returns the sleepers due at `now` (earliest first) and the sleeper-waiters
        /// now satisfied.
        mutating func takeReady() -> [CheckedContinuation<Void, any Error>] {
            var due: [(Instant, UInt64, CheckedContinuation<Void, any Error>)] = []
            var timerFired = false
            for (id, entry) in entries {
                if case .sleeping(let deadline, let isTimer, let continuation) = entry, deadline <= now {
                    due.append((deadline, id, continuation))
                    timerFired = timerFired || isTimer
                }
            }
            due.sort { ($0.0, $0.1) < ($1.0, $1.1) }
            for item in due { entries[item.1] = nil }
            if !due.isEmpty { activity &+= 1 }
            if timerFired { activityWhenATimerFired = activity }
            let sleeping = sleeperCount
            var satisfied: [CheckedContinuation<Void, any Error>] = []
            for (id, entry) in entries {
                if case .waitingForSleepers(let count, let continuation) = entry, sleeping >= count {
                    entries[id] = nil
                    satisfied.append(continuation)
                }
            }
            return due.map(\.2) + satisfied
        }
    }

    private let state: Mutex<State>

    /// A clock reading `now` (zero by default).
    public init(now: Instant = Instant()) {
        state = Mutex(State(now: now))
    }

    public var now: Instant { state.withLock { $0.now } }

    public var minimumResolution: Duration { .zero }

    /// Number of tasks currently suspended in `sleep(until:)` (work sleeps; timers excluded).
    public var sleeperCount: Int { state.withLock { $0.sleeperCount } }

    /// Number of deadline timers currently armed (`sleep(untilDeadline:)`).
    public var timerCount: Int { state.withLock { $0.timerCount } }

    /// A counter that changes whenever a sleep starts or ends.
    public var activity: UInt64 { state.withLock { $0.activity } }

    /// Whether the last thing that happened on this clock was a deadline timer firing: the work
    /// it raced is still being cut (its sleepers not yet cancelled), so a driver should not count
    /// those sleepers as waiting for time until something else has happened.
    public var isAfterATimerFired: Bool { state.withLock { $0.activityWhenATimerFired == $0.activity } }

    /// Suspends until the clock is advanced to `deadline` or later; returns at once if it already is.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try await suspend { now, continuation in
            deadline <= now ? nil : .sleeping(until: deadline, isTimer: false, continuation)
        }
    }

    /// A deadline timer: suspends until the clock reaches `deadline`, like `sleep(until:)`, but is
    /// not counted as a sleeper (it races work rather than being the work; see the type's summary).
    public func sleep(untilDeadline deadline: Instant) async throws {
        try await suspend { now, continuation in
            deadline <= now ? nil : .sleeping(until: deadline, isTimer: true, continuation)
        }
    }

    /// Parks the task on the clock until it is cancelled (then throws `CancellationError`): it
    /// counts as a sleeper, so a driver knows it waits for time alone, but no advance wakes it and
    /// it is in no `nextDeadline`. What a hung backend does: nothing, until the client gives up.
    public func park() async throws {
        try await suspend { _, continuation in .parked(continuation) }
    }

    /// Suspends until at least `count` tasks are sleeping on this clock, so a test can advance the
    /// clock knowing the code under test has reached its sleep.
    public func waitForSleepers(count: Int = 1) async throws {
        // Registered unconditionally; `takeReady()` resumes it at once if enough are already asleep.
        try await suspend { _, continuation in .waitingForSleepers(count: count, continuation) }
    }

    /// Moves the clock forward and resumes every sleeper whose deadline has been reached.
    public func advance(by duration: Duration) {
        precondition(duration >= .zero, "a VirtualClock never goes backwards")
        let ready = state.withLock { state in
            state.now = state.now.advanced(by: duration)
            return state.takeReady()
        }
        for continuation in ready { continuation.resume() }
    }

    /// The earliest instant anyone waits for: a work sleep or a deadline timer.
    public var nextDeadline: Instant? {
        state.withLock { $0.earliest(includingTimers: true) }
    }

    /// The earliest instant a work sleep waits for, deadline timers left out.
    public var nextWorkDeadline: Instant? {
        state.withLock { $0.earliest(includingTimers: false) }
    }

    /// Advances exactly to the earliest sleeper's or timer's deadline, waking it (and any due at
    /// the same instant). Returns `false`, without moving, when nobody is waiting.
    @discardableResult
    public func advanceToNextDeadline() -> Bool {
        guard let deadline = nextDeadline else { return false }
        advance(to: deadline)
        return true
    }

    /// Moves the clock forward to `instant` (no-op if it is already there or later).
    public func advance(to instant: Instant) {
        let step = now.duration(to: instant)
        if step > .zero { advance(by: step) }
    }

    // MARK: Suspension

    /// Registers the entry `makeEntry` builds from the current time (resuming at once when it
    /// returns `nil`), and removes it with a `CancellationError` if the task is cancelled.
    /// `makeEntry` runs under the lock.
    private func suspend(
        _ makeEntry: (Instant, CheckedContinuation<Void, any Error>) -> Entry?
    ) async throws {
        try Task.checkCancellation()
        let id = state.withLock { state in
            state.nextID += 1
            state.entries[state.nextID] = .starting
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (outcome, ready) = state.withLock { state -> (Result<Void, any Error>?, [CheckedContinuation<Void, any Error>]) in
                    if case .cancelled = state.entries[id] {
                        state.entries[id] = nil
                        return (.failure(CancellationError()), [])
                    }
                    guard let entry = makeEntry(state.now, continuation) else {
                        state.entries[id] = nil
                        return (.success(()), [])
                    }
                    state.entries[id] = entry
                    switch entry {
                    case .sleeping, .parked: state.activity &+= 1
                    default: break
                    }
                    // A new sleeper may satisfy a waiter, and a new waiter may already be satisfied.
                    return (nil, state.takeReady())
                }
                if let outcome { continuation.resume(with: outcome) }
                for other in ready { other.resume() }
            }
        } onCancel: {
            let continuation = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                switch state.entries[id] {
                case .starting:
                    state.entries[id] = .cancelled
                    return nil
                case .sleeping(_, _, let continuation), .parked(let continuation):
                    state.entries[id] = nil
                    state.activity &+= 1
                    return continuation
                case .waitingForSleepers(_, let continuation):
                    state.entries[id] = nil
                    return continuation
                case .cancelled, nil:
                    return nil
                }
            }
            continuation?.resume(throwing: CancellationError())
        }
    }
}
