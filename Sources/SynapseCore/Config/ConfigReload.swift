/// What a configuration reload may change while the gateway runs, and what it changed.
///
/// Backends, routes, timeout profiles, model settings and the per-request gateway settings (API
/// keys, CORS, trusted proxies, body and form limits, the admin token, the health probe timeout)
/// take effect for new requests. What the listener, the connections or the process were built
/// with stays as it is until a restart; a reload that changes it says so (`restartOnly`).
public struct ConfigReload: Sendable, Equatable {
    /// The configuration the gateway runs with after the reload: the new file's, with the
    /// restart-only settings kept as they were.
    public var effective: SynapseConfig
    public var addedBackends: [BackendID] = []
    public var removedBackends: [BackendID] = []
    /// Backends whose settings changed: a new breaker, client and limits for them.
    public var changedBackends: [BackendID] = []
    /// Backends as they were: their breakers keep their state.
    public var unchangedBackends: [BackendID] = []
    /// Settings that differ in the file but apply only after a restart (key paths).
    public var restartOnly: [String] = []
    /// Whether anything that takes effect now changed.
    public var changesSomething: Bool {
        !(addedBackends.isEmpty && removedBackends.isEmpty && changedBackends.isEmpty) || effective != current
    }
    private let current: SynapseConfig

    /// Compares `new` (a valid configuration) with the running `current` one.
    public init(current: SynapseConfig, new: SynapseConfig) {
        self.current = current
        var effective = new
        var restartOnly: [String] = []
        func keep<T: Equatable>(_ name: String, _ path: WritableKeyPath<SynapseConfig, T>) {
            guard effective[keyPath: path] != current[keyPath: path] else { return }
            restartOnly.append(name)
            effective[keyPath: path] = current[keyPath: path]
        }
        // The listener and its connections (`GatewayService.server`, `listener`, `ConnectionGuard`).
        keep("gateway.host", \.gateway.host)
        keep("gateway.port", \.gateway.port)
        keep("gateway.maxConnections", \.gateway.maxConnections)
        keep("gateway.maxHeaderBytes", \.gateway.maxHeaderBytes)
        keep("gateway.maxHeaderCount", \.gateway.maxHeaderCount)
        keep("gateway.clientIdleTimeout", \.gateway.clientIdleTimeout)
        keep("gateway.headerReadTimeout", \.gateway.headerReadTimeout)
        keep("gateway.bodyIdleTimeout", \.gateway.bodyIdleTimeout)
        keep("gateway.minBodyRate", \.gateway.minBodyRate)
        keep("gateway.bodyRateGracePeriod", \.gateway.bodyRateGracePeriod)
        // The process: its log, its shutdown, its identity, its files and feeds.
        keep("gateway.logLevel", \.gateway.logLevel)
        keep("gateway.drainWindow", \.gateway.drainWindow)
        keep("gateway.shutdownGracePeriod", \.gateway.shutdownGracePeriod)
        keep("gateway.instanceID", \.gateway.instanceID)
        keep("gateway.voiceLibraryDir", \.gateway.voiceLibraryDir)
        keep("gateway.recording", \.gateway.recording)
        keep("gateway.fastPassThrough", \.gateway.fastPassThrough)
        keep("terminalFeed", \.terminalFeed)
        keep("tracing (OTEL_*)", \.tracing)
        // HTTPS on or off changes the listener; new certificate files for it are read at once.
        if (effective.gateway.tls == nil) != (current.gateway.tls == nil) {
            restartOnly.append("gateway.tls")
            effective.gateway.tls = current.gateway.tls
        }
        self.effective = effective
        self.restartOnly = restartOnly
        let before = Dictionary(current.backends.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Set(effective.backends.map(\.id))
        for backend in effective.backends {
            switch before[backend.id] {
            case nil: addedBackends.append(backend.id)
            case backend?: unchangedBackends.append(backend.id)
            default: changedBackends.append(backend.id)
            }
        }
        removedBackends = current.backends.map(\.id).filter { !after.contains($0) }
    }
}
