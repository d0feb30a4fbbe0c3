import Foundation
import SynapseCore
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
public final class VirtualClock: Clock, Sendable {
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
        case sleeping(until: Instant, CheckedContinuation<Void, any Error>)
        case waitingForSleepers(count: Int, CheckedContinuation<Void, any Error>)
    }

    private struct State {
        var now: Instant
        var nextID: UInt64 = 0
        var entries: [UInt64: Entry] = [:]
        /// Bumped whenever a sleep starts or ends: "something happened on this clock".
        var activity: UInt64 = 0

        var sleeperCount: Int {
            entries.values.count { if case .sleeping = $0 { true } else { false } }
        }

        /// Removes and returns the sleepers due at `now` (earliest first) and the sleeper-waiters
        /// now satisfied.
        mutating func takeReady() -> [CheckedContinuation<Void, any Error>] {
            var due: [(Instant, UInt64, CheckedContinuation<Void, any Error>)] = []
            for (id, entry) in entries {
                if case .sleeping(let deadline, let continuation) = entry, deadline <= now {
                    due.append((deadline, id, continuation))
                }
            }
            due.sort { ($0.0, $0.1) < ($1.0, $1.1) }
            for item in due { entries[item.1] = nil }
            if !due.isEmpty { activity &+= 1 }
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

    /// Number of tasks currently suspended in `sleep(until:)`.
    public var sleeperCount: Int { state.withLock { $0.sleeperCount } }

    /// A counter that changes whenever a sleep starts or ends.
    public var activity: UInt64 { state.withLock { $0.activity } }

    /// Suspends until the clock is advanced to `deadline` or later; returns at once if it already is.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try await suspend { now, continuation in
            deadline <= now ? nil : .sleeping(until: deadline, continuation)
        }
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

    /// The earliest deadline a sleeper is waiting for, if anyone is sleeping.
    public var nextDeadline: Instant? {
        state.withLock { state in
            state.entries.values.compactMap { entry -> Instant? in
                if case .sleeping(let deadline, _) = entry { deadline } else { nil }
            }.min()
        }
    }

    /// Advances exactly to the earliest sleeper's deadline, waking it (and any due at the same
    /// instant). Returns `false`, without moving, when nobody is sleeping.
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
                    if case .sleeping = entry { state.activity &+= 1 }
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
                case .sleeping(_, let continuation):
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

// MARK: Mocks on the same clock

extension VirtualClock {
    /// This clock as a mock's `MockTime`, so a mock's delays (model loads, token pacing, latency
    /// faults) wait for `advance(by:)` just like the gateway's own sleeps on this clock.
    /// `now` is `epoch` plus the clock's offset.
    public func mockTime(epoch: Date = Date(timeIntervalSince1970: 1_790_000_000)) -> MockTime {
        MockTime(
            sleep: { [self] duration in try await sleep(for: duration) },
            now: { [self] in epoch.addingTimeInterval(now.offset.seconds) }
        )
    }
}
