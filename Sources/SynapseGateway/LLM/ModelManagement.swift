import HTTPTypes
import Logging
import SynapseClock
import SynapseCore
import SynapseResilience

/// Everything model management shares between the chat route and the `/models*` routes: the
/// router, the profile store, the `auto` policy, the switcher and the runtime (context size)
/// reconfiguration. Built once per gateway from `config.models`.
struct ModelManagement: Sendable {
    let settings: ModelSettings
    let config: SynapseConfig
    let router: RouterClient?
    let switcher: ModelSwitcher?
    let store: ModelProfileStore
    let policy: ModelChoice.Policy
    let runtime: RouterRuntimeController
    let clock: AnyClock
    let logger: Logger

    init(config: SynapseConfig, forwarder: Forwarder, clock: AnyClock, metrics: GatewayMetrics, events: EventFeed? = nil, logger: Logger) {
        self.settings = config.models
        self.config = config
        self.clock = clock
        self.logger = logger
        store = ModelProfileStore(path: settings.profilesPath, logger: logger)
        policy = ModelChoice.Policy(settings)
        let account = settings.runtime.serviceAccountDir
        runtime = RouterRuntimeController(
            settings: .init(
                apiBaseURL: settings.runtime.kubernetesAPI, namespace: settings.runtime.namespace, deployment: settings.runtime.deployment,
                container: settings.runtime.container, tokenPath: account + "/token", caPath: account + "/ca.crt"))
        if let backend = config.backend(settings.router) {
            let router = RouterClient(backend: backend, upstream: forwarder, clock: clock, events: events)
            self.router = router
            switcher = ModelSwitcher(router: router, settings: settings, clock: clock, logger: logger, metrics: metrics)
        } else {
            router = nil
            switcher = nil
        }
    }

    /// The router backend, or the original's 503 when the config has none.
    func routerBackend() throws -> BackendConfig {
        guard let router else { throw GatewayError.backendNotConfigured(settings.router) }
        return router.backend
    }

    func routerClient() throws -> RouterClient {
        guard let router else { throw GatewayError.backendNotConfigured(settings.router) }
        return router
    }

    /// Loads `model` for a chat (its `profile`'s runtime settings first, inside the switch turn);
    /// the lease keeps it loaded until released.
    func ensureLoaded(
        _ model: String, profile: [(String, JSONValue)], requestID: String,
        deadline: AnyClock.Instant
    ) async throws -> ModelLease {
        guard let switcher else { throw GatewayError.backendNotConfigured(settings.router) }
        return try await switcher.ensureLoaded(
            model, requestID: requestID, deadline: deadline,
            needsPreparation: { listing in Self.runtimeChange(for: profile, listing: listing) != nil },
            prepare: { listing in try await applyRuntimeProfile(of: model, profile: profile, listing: listing, requestID: requestID) })
    }

    /// The original's `_ensure_router_runtime_profile`: when the model's profile asks for a
    /// `runtime_ctx_size` other than the router's `--ctx-size`, patch the router's Deployment and
    /// wait until the router shows the new args. Returns the listing to continue with.
    func applyRuntimeProfile(
        of model: String, profile: [(String, JSONValue)], listing: RouterListing,
        requestID: String
    ) async throws -> RouterListing {
        guard let desired = Self.runtimeChange(for: profile, listing: listing) else { return listing }
        let router = try routerClient()
        do {
            let patched = try await runtime.ensureContextSize(desired)
            logger.notice(
                "router runtime reconfigured",
                metadata: [
                    "synapse.request_id": "\(requestID)", "synapse.model": "\(model)", "synapse.ctx_size": "\(desired)", "synapse.patched": "\(patched)",
                ])
        } catch {
            throw GatewayError.detail(
                .serviceUnavailable, "Failed to reconfigure \(router.backend.id) runtime for '\(model)': \(error)",
                code: "runtime_reconfigure_failed", backend: router.backend.id)
        }
        // The router restarts with the new args (Recreate rollout); wait until it lists them.
        let deadline = clock.now.advanced(by: settings.runtime.reconfigureTimeout)
        while clock.now < deadline {
            if let fresh = try? await router.list(requestID: requestID, deadline: deadline),
                RouterRuntimeController.currentContextSize(in: fresh.entries.map(\.raw)) == desired
            {
                return fresh
            }
            try Task.checkCancellation()
            try await clock.sleep(until: min(deadline, clock.now.advanced(by: settings.pollInterval)))
        }
        throw GatewayError.detail(
            .gatewayTimeout, "Timed out waiting for \(router.backend.id) runtime update for '\(model)'",
            code: "runtime_reconfigure_timeout", backend: router.backend.id)
    }

    /// A backend's `/v1/models` items as the original lists them: profiles attached to every
    /// backend's models, the router's split GGUF parts collapsed into one entry.
    func decorate(backend: BackendID, items: [JSONValue]) -> [JSONValue] {
        let attached = items.map { ModelListing.attachProfile(to: $0, store: store) }
        return backend == settings.router ? ModelListing.collapseSplitModels(attached) : attached
    }

    /// The context size a profile asks for when the router runs with another one.
    static func runtimeChange(for profile: [(String, JSONValue)], listing: RouterListing) -> Int? {
        guard let desired = runtimeContextSize(in: profile) else { return nil }
        return RouterRuntimeController.currentContextSize(in: listing.entries.map(\.raw)) == desired ? nil : desired
    }

    /// `runtime_ctx_size` when it is an integer > 0 (a bool is not).
    static func runtimeContextSize(in profile: [(String, JSONValue)]) -> Int? {
        guard let value = profile.last(where: { $0.0 == "runtime_ctx_size" })?.1, case .int(let size) = value, size > 0 else { return nil }
        return size
    }
}
