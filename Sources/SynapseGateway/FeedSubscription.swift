import Hummingbird
import NIOCore
import ServiceLifecycle
import SynapseClock
import SynapseResilience
import Synchronization

/// One client of a live feed (the terminal feed, the event feed): a bounded queue of the events
/// its filter admits.
///
/// When the queue is full the oldest event is dropped (and counted), as the original's
/// per-subscriber `asyncio.Queue` does, so a slow client never holds back the gateway.
final class FeedSubscription<Event: Sendable, Filter: Sendable>: Sendable {
    /// What waiting for the next event produced.
    enum Next: Sendable {
        case event(Event)
        /// Nothing arrived within the keep-alive interval.
        case idle
        /// The subscription was closed (gateway shutting down) or the waiting task cancelled.
        case closed
    }

    let id: UInt64
    let filter: Filter
    let capacity: Int

    private struct State {
        var queue = CircularBuffer<Event>()
        var waiter: CheckedContinuation<Event?, Never>?
        var dropped = 0
        var isClosed = false
    }

    private let state = Mutex(State())

    init(id: UInt64, filter: Filter, capacity: Int) {
        self.id = id
        self.filter = filter
        self.capacity = capacity
    }

    /// Events dropped because the queue was full.
    var dropped: Int { state.withLock { $0.dropped } }

    /// Events waiting to be sent.
    var queued: Int { state.withLock { $0.queue.count } }

    /// Hands `event` to a waiting reader or queues it; returns the reader to resume (outside any
    /// lock) and whether an older event was dropped to make room.
    func enqueue(_ event: Event) -> (waiter: CheckedContinuation<Event?, Never>?, dropped: Bool) {
        state.withLock { state in
            guard !state.isClosed else { return (nil, false) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter, false)
            }
            var dropped = false
            if state.queue.count >= capacity {
                state.queue.removeFirst()
                state.dropped += 1
                dropped = true
            }
            state.queue.append(event)
            return (nil, dropped)
        }
    }

    /// Ends the subscription: a waiting reader gets `.closed`, later reads too.
    func close() {
        let waiter = state.withLock { state in
            state.isClosed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// The next event, or `.idle` after `keepalive` on `clock` without one.
    func next(within keepalive: Duration, on clock: AnyClock) async -> Next {
        if let ready = state.withLock({ $0.queue.popFirst() }) { return .event(ready) }
        return await withTaskGroup(of: Next.self) { group in
            group.addTask { await self.next().map(Next.event) ?? .closed }
            group.addTask {
                // A cancelled sleep (the event won) ends as .idle too; the event below takes precedence.
                try? await clock.sleep(for: keepalive)
                return .idle
            }
            var outcome = await group.next() ?? .closed
            group.cancelAll()
            // An event that was already handed over while the timer fired must not be lost.
            for await other in group {
                if case .event = other { outcome = other }
            }
            return outcome
        }
    }

    /// Waits for the next event; nil when closed or when the task is cancelled.
    private func next() async -> Event? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Event?, Never>) in
                let immediate: Event?? = state.withLock { state in
                    if let event = state.queue.popFirst() { return .some(event) }
                    // Checked under the lock: a cancellation after this point finds the waiter stored.
                    if state.isClosed || Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}

extension FeedSubscription {
    /// Writes each event as it arrives, and `keepaliveFrame` after `keepalive` of silence, until
    /// the subscription is closed (the client left) or the gateway shuts down (which ends the
    /// stream cleanly).
    func pump(
        into writer: inout any ResponseBodyWriter, keepalive: Duration, on clock: AnyClock, keepaliveFrame: String,
        frame: @Sendable (Event) -> String
    ) async throws {
        try await withGracefulShutdownHandler {
            while true {
                switch await next(within: keepalive, on: clock) {
                case .event(let event): try await writer.write(ByteBuffer(string: frame(event)))
                case .idle: try await writer.write(ByteBuffer(string: keepaliveFrame))
                case .closed:
                    try Task.checkCancellation()
                    return
                }
            }
        } onGracefulShutdown: {
            self.close()
        }
    }
}
