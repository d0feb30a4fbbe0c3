import Foundation

/// The router's view of its models: which is loading, loaded or unloaded, as plain state plus
/// timestamps. Transitions that take time (loading → loaded, stopping → unloaded) are not run by a
/// background task: each read settles them against `now`, so no task needs cancelling and a test
/// clock drives them exactly.
struct LlamaRouterState: Sendable {
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
                } else {
                    model.phase = .loaded
                }
            case .stopping(let until) where now >= until:
                model.phase = .unloaded
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
        }
        models[id]?.failed = false
        if models[id]?.port == 0 { models[id]?.port = port }
        models[id]?.phase = .loading(until: now.addingTimeInterval(loadTime.seconds))
    }

    /// Asks `id` to stop; it is reported `loaded` until `stopTime` has passed.
    mutating func startUnloading(_ id: String, now: Date, stopTime: Duration) {
        if case .loading = models[id]?.phase {
            models[id]?.phase = .unloaded  // a child still loading is killed at once
        } else {
            models[id]?.phase = stopTime > .zero ? .stopping(until: now.addingTimeInterval(stopTime.seconds)) : .unloaded
        }
    }

    /// Marks `id` loaded at once (after an autoload request has waited for it).
    mutating func finishLoading(_ id: String) {
        if case .loading = models[id]?.phase { models[id]?.phase = .loaded }
    }
}
