import Foundation
import Synchronization

/// Everything a mock received, in arrival order, for expectations in tests and scenarios.
///
/// An entry is begun when the request head arrives and published once its body has been read
/// (or abandoned), so its size, SHA-256 and multipart summary are final. Tests wait on
/// `arrivals()` or `entry(_:)` instead of sleeping.
public final class RequestJournal: Sendable {
    /// Limits that keep the journal small.
    public struct Configuration: Sendable {
        /// Body bytes kept per entry. Default 1 KiB.
        public var prefixLimit: Int
        /// Entries kept; the oldest are dropped beyond this. Default 2 000.
        public var capacity: Int

        public init(prefixLimit: Int = 1024, capacity: Int = 2000) {
            self.prefixLimit = prefixLimit
            self.capacity = capacity
        }

        /// Largest JSON body parsed into `JournalEntry.json`: 64 KiB.
        public static let jsonLimit = 64 * 1024
    }

    /// Identifies an entry being recorded; stale after `clear()`.
    struct Ticket: Sendable {
        let generation: Int
        let index: Int
    }

    private struct State {
        var generation = 0
        var nextIndex = 1
        var pending: [Int: JournalEntry] = [:]
        var entries: [JournalEntry] = []
        var subscribers: [Int: AsyncStream<JournalEntry>.Continuation] = [:]
        var nextSubscriber = 0
    }

    public let configuration: Configuration
    private let state = Mutex(State())

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    // MARK: - Reading

    /// Published entries, in arrival order.
    public var entries: [JournalEntry] {
        state.withLock { $0.entries }
    }

    /// How many entries are published.
    public var count: Int {
        state.withLock { $0.entries.count }
    }

    /// Every published entry (those already there first), then each new one as it is published.
    /// The stream ends when the consuming task is cancelled.
    public func arrivals() -> AsyncStream<JournalEntry> {
        let (stream, continuation) = AsyncStream.makeStream(of: JournalEntry.self)
        let id = state.withLock { state in
            for entry in state.entries { continuation.yield(entry) }
            defer { state.nextSubscriber += 1 }
            state.subscribers[state.nextSubscriber] = continuation
            return state.nextSubscriber
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Waits for the `index`-th request (1-based) to be published and returns it.
    public func entry(_ index: Int) async throws -> JournalEntry {
        for await entry in arrivals() where entry.index == index {
            return entry
        }
        throw CancellationError()
    }

    /// Forgets every entry; numbering starts again at 1. Requests in flight are not recorded.
    public func clear() {
        state.withLock { state in
            state.generation += 1
            state.nextIndex = 1
            state.pending = [:]
            state.entries = []
        }
    }

    // MARK: - Recording

    /// Records a request head; returns the ticket to complete it with.
    func begin(method: String, path: String, query: String?, headers: [JournalEntry.Header], time: Date, fault: String?) -> Ticket {
        state.withLock { state in
            let index = state.nextIndex
            state.nextIndex += 1
            var entry = JournalEntry(index: index, time: time, method: method, path: path, query: query, headers: headers)
            entry.fault = fault
            state.pending[index] = entry
            return Ticket(generation: state.generation, index: index)
        }
    }

    /// Fills in the body summary and publishes the entry.
    func complete(_ ticket: Ticket, digest: inout BodyDigest, bodyComplete: Bool) {
        state.withLock { state in
            guard state.generation == ticket.generation, var entry = state.pending.removeValue(forKey: ticket.index) else { return }
            digest.finish(into: &entry, complete: bodyComplete)
            // Keep arrival order even when a later request finishes first.
            let position = state.entries.lastIndex { $0.index < entry.index }.map { $0 + 1 } ?? 0
            state.entries.insert(entry, at: position)
            if state.entries.count > configuration.capacity { state.entries.removeFirst(state.entries.count - configuration.capacity) }
            for subscriber in state.subscribers.values { subscriber.yield(entry) }
        }
    }
}
