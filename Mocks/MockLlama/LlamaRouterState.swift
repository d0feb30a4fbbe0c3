import Foundation
import SynapseCore

/// The router's view of its models: which is loading, loaded or unloaded, as plain state plus
/// timestamps. Transitions that take time (loading → loaded, stopping → unloaded) are not run by a
/// background task: each read settles them against `now`, so no task needs cancelling and a test
/// clock drives them exactly. Every transition is also appended to `events`, the log that
/// `GET /models/sse` streams.
///
/// Capacity follows llama.cpp's `--models-max` rule (`server_models::unload_lru`): before a load,
/// if `modelsMax` (> 0) children are running (loading or loaded), the one least recently used
/// (loaded, or sent an inference request) is stopped; only one is evicted per load.
struct LlamaRouterState: Sendable {
    /// A change of a model's status, as `GET /models/sse` reports it.
    struct Event: Sendable, Equatable {
        enum Kind: Sendable, Equatable {
            /// The child was spawned (`model_status` and a first `status_change` with progress 0).
            case loading
            /// The child finished loading its weights (`status_change` with progress 1, then `loaded`).
            case loaded
            /// The child exited: 0 after an unload or eviction, 1 after a crash while loading.
            case unloaded(exitCode: Int)
        }

        let model: String
        let kind: Kind
        /// When it happened (mock time): the `created` of the `loaded` event's `info`.
        let time: Date
    }

    /// How many events are kept for streams that have not caught up yet.
    static let eventCapacity = 256

    /// What `status.value` says, plus the pending transition.
    enum Phase: Sendable, Equatable {
        case unloaded
        /// `crashes`: decided when the load started (a broken model, a later split shard, a fault).
        case loading(until: Date, crashes: Bool)
        case loaded
        /// Asked to stop; still reported `loaded` until the child has exited.
        case stopping(until: Date)
    }

    struct Model: Sendable {
        var phase: Phase = .unloaded
        /// The child's port: 0 until the first load, then kept (as the real router reports it).
        var port = 0
        /// Set when the last load crashed (`failed: true, exit_code: 1`).
        var failed = false
        /// When the model was last used, as a sequence number (higher = more recent).
        var lastUse = 0
    }

    private(set) var models: [String: Model]
    let order: [String]
    /// The newest events, oldest first; `eventCount` numbers them across what was dropped.
    private(set) var events: [Event] = []
    private(set) var eventCount = 0
    /// The last `lastUse` handed out; a counter rather than a time, so that uses at the same
    /// instant of a stopped test clock still have an order.
    private var useCount = 0

    init(modelIDs: [String]) {
        order = modelIDs
        models = Dictionary(uniqueKeysWithValues: modelIDs.map { ($0, Model()) })
    }

    /// Applies every transition whose time has come.
    mutating func settle(now: Date) {
        for id in order {
            guard var model = models[id] else { continue }
            switch model.phase {
            case .loading(let until, let crashes) where now >= until:
                if crashes {
                    model.phase = .unloaded
                    model.failed = true
                    record(id, .unloaded(exitCode: 1), at: until)
                } else {
                    model.phase = .loaded
                    record(id, .loaded, at: until)
                }
            case .stopping(let until) where now >= until:
                model.phase = .unloaded
                record(id, .unloaded(exitCode: 0), at: until)
            default:
                break
            }
            models[id] = model
        }
    }

    /// The value `status.value` shows.
    func statusValue(_ id: String) -> String {
        switch models[id]?.phase ?? .unloaded {
        case .unloaded: "unloaded"
        case .loading: "loading"
        case .loaded, .stopping: "loaded"
        }
    }

    /// Whether the model has a child process (loading, loaded or stopping).
    func isRunning(_ id: String) -> Bool {
        models[id].map { $0.phase != .unloaded } ?? false
    }

    /// The running model `--models-max` would evict before loading another, if it is at capacity
    /// (`modelsMax` 0: no limit).
    func evictionCandidate(modelsMax: Int) -> String? {
        guard modelsMax > 0 else { return nil }
        let running = order.filter(isRunning)
        guard running.count >= modelsMax else { return nil }
        // Ties (never used) go to the first in listing order, as a strict `<` scan does.
        return running.min { (models[$0]?.lastUse ?? 0) < (models[$1]?.lastUse ?? 0) }
    }

    /// Starts loading `id`, first evicting the least recently used running model if `modelsMax`
    /// are running. The evicted child is reported unloaded at once: the real router waits for
    /// it to exit before it answers the load request.
    mutating func startLoading(_ id: String, now: Date, loadTime: Duration, port: Int, modelsMax: Int, crashes: Bool) {
        if let evicted = evictionCandidate(modelsMax: modelsMax), evicted != id {
            models[evicted]?.phase = .unloaded
            record(evicted, .unloaded(exitCode: 0), at: now)
        }
        models[id]?.failed = false
        if models[id]?.port == 0 { models[id]?.port = port }
        models[id]?.phase = .loading(until: now.addingTimeInterval(loadTime.seconds), crashes: crashes)
        markUsed(id)
        record(id, .loading, at: now)
    }

    /// Records a use of `id` (a load, or a request relayed to it) for the LRU order.
    mutating func markUsed(_ id: String) {
        useCount += 1
        models[id]?.lastUse = useCount
    }

    /// Asks `id` to stop; it is reported `loaded` until `stopTime` has passed.
    mutating func startUnloading(_ id: String, now: Date, stopTime: Duration) {
        if case .loading = models[id]?.phase {
            models[id]?.phase = .unloaded  // a child still loading is killed at once
            record(id, .unloaded(exitCode: 0), at: now)
        } else if stopTime > .zero {
            models[id]?.phase = .stopping(until: now.addingTimeInterval(stopTime.seconds))
        } else {
            models[id]?.phase = .unloaded
            record(id, .unloaded(exitCode: 0), at: now)
        }
    }

    /// Ends `id`'s load at once (after an autoload request has waited for it); returns whether
    /// the model is loaded, false when its child crashed.
    @discardableResult
    mutating func finishLoading(_ id: String, now: Date) -> Bool {
        guard case .loading(_, let crashes) = models[id]?.phase else { return statusValue(id) == "loaded" }
        if crashes {
            models[id]?.phase = .unloaded
            models[id]?.failed = true
            record(id, .unloaded(exitCode: 1), at: now)
            return false
        }
        models[id]?.phase = .loaded
        record(id, .loaded, at: now)
        return true
    }

    /// The events numbered `cursor` and later that are still kept.
    func events(from cursor: Int) -> ArraySlice<Event> {
        let first = eventCount - events.count
        return events[max(0, min(events.count, cursor - first))...]
    }

    private mutating func record(_ model: String, _ kind: Event.Kind, at time: Date) {
        events.append(Event(model: model, kind: kind, time: time))
        eventCount += 1
        if events.count > Self.eventCapacity { events.removeFirst(events.count - Self.eventCapacity) }
    }
}
