import Foundation
import NIOCore
import SynapseCore
import Synchronization

/// The original gateway's live log feed: recent log lines in a ring buffer, fanned out to the
/// clients of `GET /events/terminal`.
///
/// ```
/// Logger ─▶ TerminalFeedLogHandler ─▶ publish ─▶ sanitise ─▶ ring buffer (backlog)
///                                                        └─▶ each subscription's bounded queue ─▶ SSE
/// ```
/// Only this replica's events are served: the original's Redis bus (`busMode: redis`), which
/// shares events between replicas, is not implemented, and the feed reports `bus_mode` `local`.
public final class TerminalFeed: Sendable {
    typealias Subscription = FeedSubscription<TerminalFeedEvent, TerminalFeedFilter>

    /// The original's floors for the buffer and queue sizes and the keep-alive interval.
    static let minimumBufferSize = 10
    static let minimumQueueSize = 10
    static let minimumKeepalive: Duration = .seconds(5)

    public let settings: TerminalFeedSettings
    /// Stamped into every event (`SYNAPSE_INSTANCE_ID`).
    public let instance: String
    /// Events kept for the backlog: `max(10, bufferSize)`.
    let bufferCapacity: Int
    /// Events queued per subscriber: `max(10, subscriberQueueSize)`.
    let queueCapacity: Int
    /// Silence after which a subscriber gets `: keepalive`: `max(5 s, keepalive)`.
    let keepalive: Duration
    private let sanitizer: LogLineSanitizer
    private let now: @Sendable () -> Date

    private struct State {
        var buffer = CircularBuffer<TerminalFeedEvent>()
        var subscriptions: [UInt64: Subscription] = [:]
        var nextID: UInt64 = 0
        var droppedEvents = 0
    }

    private let state = Mutex(State())

    /// - Parameters:
    ///   - instance: the replica's name (`config.gateway.instanceID`).
    ///   - now: the wall clock for the events' `ts`; tests pass a fixed one.
    public init(settings: TerminalFeedSettings, instance: String, now: @escaping @Sendable () -> Date = { Date() }) {
        self.settings = settings
        self.instance = instance
        self.now = now
        bufferCapacity = max(Self.minimumBufferSize, settings.bufferSize)
        queueCapacity = max(Self.minimumQueueSize, settings.subscriberQueueSize)
        keepalive = max(Self.minimumKeepalive, settings.keepalive)
        sanitizer = LogLineSanitizer(maxLineChars: settings.maxLineChars, extraPatterns: settings.redactExtraPatterns)
    }

    /// Sanitises one log line, keeps it for the backlog and hands it to every subscriber whose
    /// filter admits it. Never blocks: a full subscriber queue loses its oldest event.
    public func publish(source: String, level: TerminalFeedLevel, message: String) {
        let event = TerminalFeedEvent(
            ts: ProfileFile.isoformat(now()), source: LogLineSanitizer.source(source), level: level,
            message: sanitizer.message(message), instance: instance)
        // Delivered under the lock so every subscriber sees events in buffer order; the readers
        // are resumed after it is released.
        let waiters = state.withLock { state in
            if state.buffer.count >= bufferCapacity { state.buffer.removeFirst() }
            state.buffer.append(event)
            var waiters: [CheckedContinuation<TerminalFeedEvent?, Never>] = []
            for subscription in state.subscriptions.values where subscription.filter.admits(event) {
                let (waiter, dropped) = subscription.enqueue(event)
                if let waiter { waiters.append(waiter) }
                if dropped { state.droppedEvents += 1 }
            }
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: event) }
    }

    /// Registers a subscriber and returns, atomically with it, the newest `backlog` buffered
    /// events its filter admits (oldest first), so nothing is missed or repeated in between.
    func subscribe(filter: TerminalFeedFilter, backlog: Int) -> (backlog: [TerminalFeedEvent], subscription: Subscription) {
        state.withLock { state in
            state.nextID += 1
            let subscription = Subscription(id: state.nextID, filter: filter, capacity: queueCapacity)
            state.subscriptions[subscription.id] = subscription
            var recent: [TerminalFeedEvent] = []
            for event in state.buffer.reversed() where filter.admits(event) {
                guard recent.count < backlog else { break }
                recent.append(event)
            }
            return (recent.reversed(), subscription)
        }
    }

    /// Removes a subscriber (its client went away) and closes it.
    func unsubscribe(_ subscription: Subscription) {
        _ = state.withLock { $0.subscriptions.removeValue(forKey: subscription.id) }
        subscription.close()
    }

    /// Clients currently connected.
    public var subscriberCount: Int { state.withLock { $0.subscriptions.count } }

    /// Events dropped from full subscriber queues since start (the original's `dropped_events`).
    public var droppedEvents: Int { state.withLock { $0.droppedEvents } }

    /// The ring buffer, oldest first.
    var bufferedEvents: [TerminalFeedEvent] { state.withLock { Array($0.buffer) } }
}
