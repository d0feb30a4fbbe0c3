import Foundation
import SynapseCore

/// The router's view of its models: which is loading, loaded or unloaded, as plain state plus
/// timestamps. Transitions that take time (loading → loaded, stopping → unloaded) are not run by a
/// background task: each read settles them against `now`, so no task needs cancelling and a test
/// clock drives them exactly. Every transition is also appended to `events`, the log that
/// `GET /models/sse` streams.
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
        case loading(until: Date)
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
    }

    private(set) var models: [String: Model]
    let order: [String]
    /// The newest events, oldest first; `eventCount` numbers them across what was dropped.
    private(set) var events: [Event] = []
    private(set) var eventCount = 0

    init(modelIDs: [String]) {
        order = modelIDs
        models = Dictionary(uniqueKeysWithValues: modelIDs.map { ($0, Model()) })
    }

    /// Applies every transition whose time has come. `failing` names models whose load crashes.
    mutating func settle(now: Date, failing: Set<String>) {
        for id in order {
            guard var model = models[id] else { continue }
            switch model.phase {
            case .loading(let until) where now >= until:
                if failing.contains(id) {
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

    /// Starts loading `id`, first stopping every other running model (`--models-max 1`).
    mutating func startLoading(_ id: String, now: Date, loadTime: Duration, port: Int) {
        for other in order where other != id && isRunning(other) {
            models[other]?.phase = .unloaded
            record(other, .unloaded(exitCode: 0), at: now)
        }
        models[id]?.failed = false
        if models[id]?.port == 0 { models[id]?.port = port }
        models[id]?.phase = .loading(until: now.addingTimeInterval(loadTime.seconds))
        record(id, .loading, at: now)
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

    /// Marks `id` loaded at once (after an autoload request has waited for it).
    mutating func finishLoading(_ id: String, now: Date) {
        guard case .loading = models[id]?.phase else { return }
        models[id]?.phase = .loaded
        record(id, .loaded, at: now)
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
