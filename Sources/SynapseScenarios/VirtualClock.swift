import Foundation
import SynapseMockKit
import Synchronization

/// A `Clock` that moves only when the scenario runner advances it.
///
/// The gateway (breaker cooldowns, retry backoff) and the mocks (latencies, token pacing, pings)
/// sleep on it; `advance(to:)` wakes every sleeper whose deadline has been reached, earliest first.
/// `activity` counts sleeps started and ended, so the runner can tell when the system under test
/// has gone quiet (every task blocked on this clock) and time may move on to `nextDeadline`.
public final class VirtualClock: Clock, Sendable {
    /// A point on a `VirtualClock`: time elapsed since its zero.
    public struct Instant: InstantProtocol, CustomStringConvertible {
        /// Time since the clock's zero.
        public var offset: Duration

        public init(offset: Duration = .zero) { self.offset = offset }

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
        public var description: String { "t+\(offset)" }
    }

    /// A sleeper's registration: started (continuation not stored yet), cancelled early, or waiting.
    private enum Sleeper {
        case starting
        case cancelled
        case waiting(until: Instant, CheckedContinuation<Void, any Error>)
    }

    private struct State {
        var now = Instant()
        var nextID: UInt64 = 0
        var sleepers: [UInt64: Sleeper] = [:]
        /// Bumped whenever a sleep starts or ends: "something happened on this clock".
        var activity: UInt64 = 0

        /// Removes the sleepers due at `now`, earliest deadline first (ties in arrival order).
        mutating func takeDue() -> [CheckedContinuation<Void, any Error>] {
            var due: [(Instant, UInt64, CheckedContinuation<Void, any Error>)] = []
            for (id, sleeper) in sleepers {
                if case .waiting(let deadline, let continuation) = sleeper, deadline <= now { due.append((deadline, id, continuation)) }
            }
            due.sort { ($0.0, $0.1) < ($1.0, $1.1) }
            for item in due { sleepers[item.1] = nil }
            if !due.isEmpty { activity &+= 1 }
            return due.map(\.2)
        }
    }

    private let state = Mutex(State())

    public init() {}

    public var now: Instant { state.withLock { $0.now } }

    public var minimumResolution: Duration { .zero }

    /// How many tasks are asleep on this clock.
    public var sleeperCount: Int {
        state.withLock { state in state.sleepers.values.count { if case .waiting = $0 { true } else { false } } }
    }

    /// The earliest deadline anyone sleeps until, if anyone sleeps.
    public var nextDeadline: Instant? {
        state.withLock { state in
            state.sleepers.values.compactMap { sleeper -> Instant? in
                if case .waiting(let deadline, _) = sleeper { deadline } else { nil }
            }.min()
        }
    }

    /// A counter that changes whenever a sleep starts or ends.
    public var activity: UInt64 { state.withLock { $0.activity } }

    /// Suspends until the clock reaches `deadline`; returns at once if it already has.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        let id = state.withLock { state in
            state.nextID += 1
            state.sleepers[state.nextID] = .starting
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Result<Void, any Error>? in
                    if case .cancelled = state.sleepers[id] {
                        state.sleepers[id] = nil
                        return .failure(CancellationError())
                    }
                    guard state.now < deadline else {
                        state.sleepers[id] = nil
                        return .success(())
                    }
                    state.sleepers[id] = .waiting(until: deadline, continuation)
                    state.activity &+= 1
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let continuation = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                switch state.sleepers[id] {
                case .starting:
                    state.sleepers[id] = .cancelled
                    return nil
                case .waiting(_, let continuation):
                    state.sleepers[id] = nil
                    state.activity &+= 1
                    return continuation
                case .cancelled, nil:
                    return nil
                }
            }
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock to `instant` (never backwards) and wakes every sleeper that is due.
    public func advance(to instant: Instant) {
        let due = state.withLock { state in
            if state.now < instant { state.now = instant }
            return state.takeDue()
        }
        for continuation in due { continuation.resume() }
    }

    /// Moves the clock forward by `duration`.
    public func advance(by duration: Duration) {
        advance(to: now.advanced(by: duration))
    }

    /// This clock as a mock's `MockTime`; `now` is `epoch` plus the clock's offset, so journal
    /// times and `created` fields follow virtual time too.
    public func mockTime(epoch: Date = Date(timeIntervalSince1970: 1_790_000_000)) -> MockTime {
        MockTime(
            sleep: { [self] duration in try await sleep(until: now.advanced(by: duration)) },
            now: { [self] in epoch.addingTimeInterval(now.offset.seconds) }
        )
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
