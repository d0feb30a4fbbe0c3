import AsyncHTTPClient
import NIOCore
import SynapseClock
import SynapseCore
import SynapseResilience

/// Loads one model on the router and waits for the outcome.
///
/// The router's `GET /models/sse` stream says the moment a load ends; it is opened before the
/// load is sent, so no event is missed. Polls of `GET /models` every `pollInterval` run beside
/// it, as the fallback for a router without the stream and as the check that decides: the
/// stream only wakes the wait early, the list is the truth.
struct LoadWatcher: Sendable {
    let router: RouterClient
    let clock: AnyClock
    let pollInterval: Duration

    enum Outcome: Sendable, Equatable {
        case loaded
        /// The router reported the load crashed (`status.failed`).
        case failed
        /// The router refused the load request with this status.
        case refused(Int)
        /// `deadline` passed first.
        case timedOut

        var label: String {
            switch self {
            case .loaded: "loaded"
            case .failed: "failed"
            case .refused: "refused"
            case .timedOut: "timeout"
            }
        }
    }

    func load(_ model: String, alreadyLoading: Bool, requestID: String, deadline: AnyClock.Instant) async throws -> Outcome {
        try await withThrowingTaskGroup(of: Outcome?.self) { group in
            let events = try? await router.statusEvents(requestID: requestID, deadline: deadline)
            defer { group.cancelAll() }
            if !alreadyLoading {
                let status: Int
                do {
                    status = try await router.load(model, requestID: requestID, deadline: deadline).status
                } catch let error as GatewayError where error.code == "upstream_timeout" {
                    return .timedOut  // the load request itself outlived the wait
                }
                // 400 "model is already running": another client (or the router) started it.
                if status != 200 && status != 400 { return .refused(status) }
            }
            if let events {
                group.addTask { await Self.firstEnd(of: model, in: events) }
            }
            group.addTask { try await poll(model, requestID: requestID, deadline: deadline) }
            while let result = try await group.next() {
                guard let result else { continue }
                if result == .timedOut || result == .failed { return result }
                // An event said "loaded" or the poll saw it: confirm with the list when it was the event.
                return try await poll(model, requestID: requestID, deadline: deadline, once: true) ?? .loaded
            }
            return .timedOut
        }
    }

    /// Lists models every `pollInterval` until `model` is loaded or failed, or `deadline` passes.
    /// With `once`, a single look: nil when it is still loading.
    private func poll(_ model: String, requestID: String, deadline: AnyClock.Instant, once: Bool = false) async throws -> Outcome? {
        while true {
            if let listing = try? await router.list(requestID: requestID, deadline: deadline), let entry = listing.entry(model) {
                if entry.status == "loaded" || !listing.managesModels { return .loaded }
                if entry.failed { return .failed }
            }
            // A failed or cancelled listing is tried again: the router may be restarting with new args.
            try Task.checkCancellation()
            if once { return nil }
            let now = clock.now
            guard now < deadline else { return .timedOut }
            try await clock.sleep(until: min(deadline, now.advanced(by: pollInterval)))
        }
    }

    /// Reads the status stream until it reports that `model`'s load ended; nil if the stream ends first.
    static func firstEnd(of model: String, in response: HTTPClientResponse) async -> Outcome? {
        var pending: [UInt8] = []
        do {
            for try await chunk in response.body {
                pending += chunk.readableBytesView
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = pending[..<newline]
                    pending.removeSubrange(...newline)
                    guard line.starts(with: "data:".utf8), let event = try? JSONValue.parse(line.dropFirst(5)),
                        event["model"]?.stringValue == model
                    else { continue }
                    switch event["data"]?["status"]?.stringValue {
                    case "loaded": return .loaded
                    case "unloaded":
                        if let code = event["data"]?["exit_code"]?.intValue, code != 0 { return .failed }
                    default: break
                    }
                }
            }
        } catch {}
        return nil
    }
}
