import HTTPTypes
import NIOCore
import NIOPosix
import SynapseCore
import Synchronization

/// At most `maxInFlight` requests to one backend at a time (`backends.NAME.limits.maxInFlight`);
/// more wait in a short FIFO queue for up to `queueTimeout`, at most `maxInFlight` of them, and
/// beyond that are refused (503 `backend_saturated`, `Retry-After`).
///
/// This is concurrency limiting (Envoy's "circuit breaking" thresholds), kept apart from the
/// failure-ejection `CircuitBreaker`: a saturated backend is healthy, just busy, and nothing here
/// moves a breaker.
///
/// ```
/// acquire ── slot free, nobody queued ──▶ run          (one lock, no allocation)
///    │ full
///    ├── queue full ──────────────────────▶ Saturated
///    └── queued ── release hands it the slot ──▶ run
///               └─ queueTimeout / cancelled ──▶ Saturated / CancellationError
/// ```
///
/// Every operation is O(1) (amortised): waiters are a dictionary plus an array of ids in arrival
/// order, from which expired ids are skipped lazily.
final class InFlightLimiter: Sendable {
    /// The backend is at its limit and the queue could not take the request in time.
    struct Saturated: Error {}

    fileprivate struct State {
        var inFlight = 0
        var waiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
        /// Ids in arrival order from `head` on; some may have left `waiters` (expired).
        var order: [UInt64] = []
        var head = 0
        var nextID: UInt64 = 0
    }

    let maxInFlight: Int
    let queueTimeout: Duration
    private let state = Mutex(State())
    /// Where queue timeouts are scheduled (only requests that wait get a timer).
    private let eventLoop: any EventLoop

    init(maxInFlight: Int, queueTimeout: Duration, eventLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.any()) {
        self.maxInFlight = max(1, maxInFlight)
        self.queueTimeout = queueTimeout
        self.eventLoop = eventLoop
    }

    /// Requests running now (for tests and metrics).
    var inFlight: Int { state.withLock { $0.inFlight } }
    /// Requests waiting now.
    var queued: Int { state.withLock { $0.waiters.count } }

    /// Takes a slot, waiting in the queue if need be. Every successful `acquire` is followed by
    /// exactly one `release`. Throws `Saturated`, or `CancellationError` when the task is cancelled.
    func acquire() async throws {
        if tryAcquire() { return }
        let id = state.withLock { state in
            state.nextID &+= 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if state.inFlight < maxInFlight, state.waiters.isEmpty {
                        state.inFlight += 1
                        return .success(())
                    }
                    guard state.waiters.count < maxInFlight else { return .failure(Saturated()) }
                    state.waiters[id] = continuation
                    state.order.append(id)
                    return nil
                }
                if let outcome {
                    continuation.resume(with: outcome)
                    return
                }
                // Fires for every queued request; after a hand-over it finds nothing to do.
                eventLoop.scheduleTask(in: .nanoseconds(queueTimeout.nanoseconds)) { [self] in expire(id, with: Saturated()) }
                // Cancelled before it was queued: the handler below already ran and found nothing.
                if Task.isCancelled { expire(id, with: CancellationError()) }
            }
        } onCancel: {
            expire(id, with: CancellationError())
        }
    }

    /// Takes a slot only when one is free now and nobody waits (never queues): the fast path's
    /// admission (`FastPath`), which hands a request it cannot place at once to the general path.
    func tryAcquire() -> Bool {
        state.withLock { state in
            guard state.inFlight < maxInFlight, state.waiters.isEmpty else { return false }
            state.inFlight += 1
            return true
        }
    }

    /// Gives the slot to the oldest waiter, or frees it.
    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            while state.head < state.order.count {
                let id = state.order[state.head]
                state.head += 1
                if let waiter = state.waiters.removeValue(forKey: id) {
                    state.compact()
                    return waiter
                }
            }
            state.order.removeAll(keepingCapacity: true)
            state.head = 0
            state.inFlight -= 1
            return nil
        }
        next?.resume()
    }

    private func expire(_ id: UInt64, with error: any Error) {
        let waiter = state.withLock { state in
            let waiter = state.waiters.removeValue(forKey: id)
            // Nobody left waiting: the expired ids need not be kept for `release` to skip.
            if state.waiters.isEmpty {
                state.order.removeAll(keepingCapacity: true)
                state.head = 0
            }
            return waiter
        }
        waiter?.resume(throwing: error)
    }
}

extension InFlightLimiter.State {
    /// Drops the consumed prefix of `order` once it dominates (amortised O(1)).
    fileprivate mutating func compact() {
        if head == order.count {
            order.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}

extension GatewayError {
    /// 503 `backend_saturated`: the backend has `maxInFlight` requests running and the queue
    /// could not take this one within `queueTimeout`. `Retry-After` is that wait, rounded up.
    static func backendSaturated(_ backend: BackendID, maxInFlight: Int, queueTimeout: Duration) -> GatewayError {
        var headers = HTTPFields()
        headers[.retryAfter] = String(max(1, Int((Double(queueTimeout.nanoseconds) / 1e9).rounded(.up))))
        return .init(
            status: .serviceUnavailable, code: "backend_saturated", type: "server_error",
            message: "Backend \(backend) is at its limit of \(maxInFlight) requests in flight; try again shortly",
            backend: backend, headers: headers)
    }
}
