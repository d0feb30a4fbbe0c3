import Foundation
import Logging
import NIOCore
import SynapseCore
import Synchronization

/// The live event feed behind `GET /events`: typed events in a bounded ring buffer (for
/// `Last-Event-ID` resume), fanned out to each client's bounded queue, and written to the log as
/// structured metadata.
///
/// ```
/// breakers, UpstreamCaller, voices, RequestTelemetry ─▶ publish ─▶ ring buffer (resume)
///                                                           ├─▶ each subscription's queue ─▶ SSE
///                                                           └─▶ log (notice; request summaries: no,
///                                                               the access log has them)
/// ```
public final class EventFeed: Sendable {
    typealias Subscription = FeedSubscription<GatewayEvent, GatewayEventFilter>

    /// Events kept for resuming clients.
    let capacity: Int
    /// Events queued per client before its oldest is dropped.
    let queueCapacity: Int
    private let logger: Logger
    private let now: @Sendable () -> Date
    /// Clients connected, read without the lock on every request's path.
    private let listeners = Atomic<Int>(0)

    private struct State {
        var buffer = CircularBuffer<GatewayEvent>()
        var lastID: UInt64 = 0
        var subscriptions: [UInt64: Subscription] = [:]
        var nextSubscriber: UInt64 = 0
    }

    private let state = Mutex(State())

    /// - Parameter now: the wall clock for the events' `ts`; tests pass a fixed one.
    public init(capacity: Int = 1000, queueCapacity: Int = 256, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.capacity = max(1, capacity)
        self.queueCapacity = max(1, queueCapacity)
        self.logger = logger
        self.now = now
    }

    /// Whether a client is connected (request summaries are made only then).
    public var hasListeners: Bool { listeners.load(ordering: .relaxed) > 0 }

    /// Records one event and hands it to every client whose filter admits it. Never blocks: a
    /// full client queue loses its oldest event.
    public func publish(_ kind: GatewayEvent.Kind, backend: String? = nil, _ fields: [(String, JSONValue)] = []) {
        let time = ProfileFile.isoformat(now())
        // Numbered and delivered under the lock, so ids and every client's order agree.
        let (event, waiters) = state.withLock { state in
            state.lastID += 1
            let event = GatewayEvent(id: state.lastID, kind: kind, backend: backend, time: time, fields: fields)
            if state.buffer.count >= capacity { state.buffer.removeFirst() }
            state.buffer.append(event)
            var waiters: [CheckedContinuation<GatewayEvent?, Never>] = []
            for subscription in state.subscriptions.values where subscription.filter.admits(event) {
                if let waiter = subscription.enqueue(event).waiter { waiters.append(waiter) }
            }
            return (event, waiters)
        }
        for waiter in waiters { waiter.resume(returning: event) }
        guard kind != .request else { return }
        var metadata: Logger.Metadata = ["synapse.event.id": "\(event.id)", "synapse.event.type": "\(kind.rawValue)"]
        if let backend { metadata["synapse.backend"] = "\(backend)" }
        for (key, value) in fields { metadata["synapse.event.\(key)"] = "\(value.text())" }
        logger.notice("event", metadata: metadata)
    }

    /// Registers a client and returns, atomically with it, the buffered events after `lastID`
    /// that its filter admits (none without `lastID`), so nothing is missed or repeated between
    /// the resume and the live events.
    func subscribe(filter: GatewayEventFilter, after lastID: UInt64?) -> (backlog: [GatewayEvent], subscription: Subscription) {
        listeners.add(1, ordering: .relaxed)
        return state.withLock { state in
            state.nextSubscriber += 1
            let subscription = Subscription(id: state.nextSubscriber, filter: filter, capacity: queueCapacity)
            state.subscriptions[subscription.id] = subscription
            guard let lastID else { return ([], subscription) }
            return (state.buffer.filter { $0.id > lastID && filter.admits($0) }, subscription)
        }
    }

    /// Removes a client (it went away, or the gateway is shutting down) and closes it.
    func unsubscribe(_ subscription: Subscription) {
        let removed = state.withLock { $0.subscriptions.removeValue(forKey: subscription.id) }
        if removed != nil { listeners.subtract(1, ordering: .relaxed) }
        subscription.close()
    }

    /// The ring buffer, oldest first.
    var bufferedEvents: [GatewayEvent] { state.withLock { Array($0.buffer) } }
}
