import Synchronization

/// The bounded queue between the request path and the recorder's writer.
///
/// `offer` never waits: an event that would take the queued body bytes past `maxBytes`, or a
/// new exchange beyond `maxExchanges` being recorded, is refused and the caller drops its
/// exchange. Small control events (ends, aborts, closes) are always taken, so an exchange that
/// was admitted can always be finished or given up; their number is bounded by the exchanges.
final class RecordingBuffer: Sendable {
    struct Limits: Sendable, Equatable {
        var maxBytes: Int
        var maxExchanges: Int
    }

    private struct State {
        var events: [RecordingEvent] = []
        var bytes = 0
        /// Exchanges begun and not yet finished or aborted by the writer.
        var exchanges = 0
        var limits: Limits
        /// `waitUntilIdle()` callers, resumed when the last exchange is released.
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>
    /// Wakes the writer after each queued event.
    private let ring: @Sendable () -> Void

    init(limits: Limits, ring: @escaping @Sendable () -> Void) {
        state = Mutex(State(limits: limits))
        self.ring = ring
    }

    func setLimits(_ limits: Limits) {
        state.withLock { $0.limits = limits }
    }

    /// Queues the start of an exchange, unless as many are being recorded as allowed.
    func begin(_ event: RecordingEvent) -> Bool {
        let taken = state.withLock { state in
            guard state.exchanges < state.limits.maxExchanges else { return false }
            state.exchanges += 1
            state.events.append(event)
            return true
        }
        if taken { ring() }
        return taken
    }

    /// Queues body bytes, unless they would exceed the byte budget.
    func offer(_ event: RecordingEvent) -> Bool {
        let bytes = event.bodyBytes
        let taken = state.withLock { state in
            guard state.bytes + bytes <= state.limits.maxBytes else { return false }
            state.bytes += bytes
            state.events.append(event)
            return true
        }
        if taken { ring() }
        return taken
    }

    /// Queues a control event; never refused.
    func force(_ event: RecordingEvent) {
        state.withLock { $0.events.append(event) }
        ring()
    }

    /// Everything queued, oldest first; their bytes leave the budget.
    func takeAll() -> [RecordingEvent] {
        state.withLock { state in
            defer {
                state.events = []
                state.bytes = 0
            }
            return state.events
        }
    }

    /// The writer is done with `count` exchanges (written or aborted).
    func release(exchanges count: Int) {
        guard count > 0 else { return }
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.exchanges -= count
            guard state.exchanges == 0 else { return [] }
            defer { state.idleWaiters = [] }
            return state.idleWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once no exchange is being recorded (each begun one written or given up).
    func waitUntilIdle() async {
        await withCheckedContinuation { continuation in
            let idle = state.withLock { state -> Bool in
                if state.exchanges == 0 { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }
}
