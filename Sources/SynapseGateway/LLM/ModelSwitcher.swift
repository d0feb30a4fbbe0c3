import Logging
import SynapseClock
import SynapseCore
import SynapseResilience
import Synchronization

/// Makes sure a chat's model is loaded on the router before the chat is forwarded.
///
/// ```
/// ensureLoaded(m) ── nobody switching ── list ── m loaded ──▶ lease m, go (no waiting)
///        │                                 └─ m not loaded ─┐
///        └─ a switch is under way ──▶ wait for the turn (FIFO, deadline, client disconnect)
///                                          │
///                 list ── m loaded (an earlier switch did it) ──▶ lease m, pass the turn on, go
///                   └─ wait until the chats on the models to unload are answered (leases)
///                      ── unload them (--models-max) ── load ── wait: /models/sse events, or
///                      polls of /models ── loaded ──▶ lease m, pass the turn on, go
///                                          ├─ failed ──▶ 502     └─ load timeout / deadline ──▶ 504
/// ```
///
/// A chat holds a lease on its model until its answer has been sent, so a switch never unloads
/// a model under a chat (or a stream) still being answered; once a switch is waiting, new chats
/// queue behind it, so the leases it waits for drain.
///
/// Better than the original, which let every chat list, unload and load at once (two chats for
/// different models unloaded each other's model) and waited up to 240 s whatever the client did:
/// here one switch runs at a time per router, waiters keep their arrival order, and every wait
/// ends at the request's deadline or when the client leaves. All waiting is on the injected
/// clock, so scenarios run it in virtual time.
final class ModelSwitcher: Sendable {
    let router: RouterClient
    let settings: ModelSettings
    let clock: AnyClock
    let logger: Logger
    let metrics: GatewayMetrics
    private let turnstile = Turnstile()
    private let leases = ModelLeases()
    /// The router's `--models-max` once learned from `/props`.
    private let learnedMaxLoaded = Mutex<Int?>(nil)
    /// When each model was last used by a chat, to unload the least recently used first.
    private let lastUsed = Mutex<[String: UInt64]>([:])
    private let useCounter = Atomic<UInt64>(0)

    init(router: RouterClient, settings: ModelSettings, clock: AnyClock, logger: Logger, metrics: GatewayMetrics) {
        self.router = router
        self.settings = settings
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
    }

    /// Returns a lease once `model` is loaded on the router (or the router manages no models);
    /// the caller holds it until its answer has been sent. Throws the original's 400/502/504
    /// `{"detail"}` errors, or the gateway's 503/504 for router failures. `prepare` runs inside
    /// the turn before anything is unloaded (the runtime profile); `needsPreparation` says
    /// whether a listing calls for it, in which case even a loaded model takes the turn.
    func ensureLoaded(
        _ model: String, requestID: String, deadline: AnyClock.Instant,
        needsPreparation: @Sendable (RouterListing) -> Bool = { _ in false },
        prepare: @Sendable (RouterListing) async throws -> RouterListing = { $0 }
    ) async throws -> ModelLease {
        markUsed(model)
        if turnstile.isIdle {
            let listing = try await router.list(requestID: requestID, deadline: deadline)
            try requireListed(model, in: listing)
            if listing.isReady(model), !needsPreparation(listing), let lease = leases.acquire(model, when: { turnstile.isIdle }) {
                metrics.modelWait(backend: router.backend.id, outcome: "ready", duration: .zero)
                return lease
            }
        }
        let started = clock.now
        let ticket = turnstile.ticket()
        do {
            try await within(deadline) { try await self.turnstile.enter(ticket) }
        } catch {
            turnstile.leave(ticket)
            metrics.modelWait(
                backend: router.backend.id, outcome: error is CancellationError ? "cancelled" : "timeout",
                duration: started.duration(to: clock.now))
            if error is CancellationError { throw error }
            throw GatewayError.modelLoadTimeout(model, router: router.backend.id)
        }
        defer { turnstile.leave(ticket) }
        do {
            var listing = try await router.list(requestID: requestID, deadline: deadline)
            try requireListed(model, in: listing)
            listing = try await prepare(listing)
            if !listing.isReady(model) {
                try await switchTo(model, listing: listing, requestID: requestID, deadline: deadline)
            }
            metrics.modelWait(backend: router.backend.id, outcome: "loaded", duration: started.duration(to: clock.now))
            // Taken before the turn passes on: the next switch sees this chat and waits for it.
            return leases.acquire(model)!
        } catch {
            metrics.modelWait(
                backend: router.backend.id, outcome: error is CancellationError ? "cancelled" : "failed",
                duration: started.duration(to: clock.now))
            throw error
        }
    }

    private func requireListed(_ model: String, in listing: RouterListing) throws {
        guard !listing.managesModels || listing.entry(model) != nil else {
            throw GatewayError.modelNotAvailable(model, router: router.backend.id)
        }
    }

    /// Unloads what must make room, loads `model` and waits until the router reports it loaded.
    private func switchTo(_ model: String, listing: RouterListing, requestID: String, deadline: AnyClock.Instant) async throws {
        let backend = router.backend.id
        let started = clock.now
        let maxLoaded = await maxLoaded(requestID: requestID, deadline: deadline)
        let evicted = evictions(for: model, running: listing.running, maxLoaded: maxLoaded)
        if !evicted.isEmpty {
            do {
                try await within(deadline) { try await self.leases.waitUntilIdle(Set(evicted)) }
            } catch is DeadlinePassed {
                throw GatewayError.modelLoadTimeout(model, router: backend)
            }
        }
        for other in evicted {
            logger.info(
                "unloading model to make room",
                metadata: [
                    "synapse.request_id": "\(requestID)", "synapse.backend": "\(backend)", "synapse.model": "\(other)", "synapse.for_model": "\(model)",
                ])
            // The original ignores the answer too: a model that is already gone is fine.
            _ = try await router.unload(other, requestID: requestID, deadline: deadline)
        }
        let loadDeadline = min(deadline, clock.now.advanced(by: settings.loadTimeout))
        let watcher = LoadWatcher(router: router, clock: clock, pollInterval: settings.pollInterval)
        let outcome = try await watcher.load(
            model, alreadyLoading: listing.entry(model)?.status == "loading",
            requestID: requestID, deadline: loadDeadline)
        let elapsed = started.duration(to: clock.now)
        metrics.modelSwitch(backend: backend, model: model, outcome: outcome.label, duration: elapsed)
        logger.info(
            "model switch",
            metadata: [
                "synapse.request_id": "\(requestID)", "synapse.backend": "\(backend)", "synapse.model": "\(model)",
                "synapse.outcome": "\(outcome.label)", "synapse.duration_ms": "\(elapsed.milliseconds.rounded(toPlaces: 1))",
            ])
        router.announce(
            outcome == .loaded ? "loaded" : "failed", model: model,
            [("duration_ms", .number(elapsed.milliseconds.rounded(toPlaces: 1)))] + (outcome == .loaded ? [] : [("reason", .string(outcome.label))]))
        switch outcome {
        case .loaded: return
        case .failed: throw GatewayError.modelLoadFailed(model, router: backend)
        case .refused(let status): throw GatewayError.modelLoadRefused(model, status: status, router: backend)
        case .timedOut: throw GatewayError.modelLoadTimeout(model, router: backend)
        }
    }

    /// The models to unload so that `model` fits in `maxLoaded` slots: the least recently used first.
    func evictions(for model: String, running: [String], maxLoaded: Int) -> [String] {
        let others = running.filter { $0 != model }
        let excess = others.count - (maxLoaded - 1)
        guard excess > 0 else { return [] }
        let uses = lastUsed.withLock { $0 }
        return Array(others.sorted { (uses[$0] ?? 0) < (uses[$1] ?? 0) }.prefix(excess))
    }

    private func maxLoaded(requestID: String, deadline: AnyClock.Instant) async -> Int {
        if let configured = settings.maxLoaded { return configured }
        if let learned = learnedMaxLoaded.withLock({ $0 }) { return learned }
        let learned = await router.maxInstances(requestID: requestID, deadline: deadline) ?? 1
        learnedMaxLoaded.withLock { $0 = learned }
        return learned
    }

    private func markUsed(_ model: String) {
        let tick = useCounter.add(1, ordering: .relaxed).newValue
        lastUsed.withLock { Self.remember(model, tick: tick, in: &$0) }
    }

    /// Models whose last use is remembered. The name is the client's, recorded before the router
    /// is asked whether it exists, so the map keeps only the most recent ones.
    static let rememberedModels = 1024

    /// Records a use; past `limit` names the least recently used is forgotten (a scan, only then).
    static func remember(_ model: String, tick: UInt64, in uses: inout [String: UInt64], limit: Int = rememberedModels) {
        uses[model] = tick
        guard uses.count > limit, let oldest = uses.min(by: { $0.value < $1.value })?.key else { return }
        uses[oldest] = nil
    }

    /// Runs `operation` until `deadline` on the injected clock; throws `DeadlinePassed` after it.
    private func within(_ deadline: AnyClock.Instant, _ operation: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await operation() }
            group.addTask { [clock] in
                try await clock.sleep(until: deadline)
                throw DeadlinePassed()
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    struct DeadlinePassed: Error {}
}
