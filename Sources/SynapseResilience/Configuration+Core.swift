import SynapseCore

// Each backend's `breaker:` and `retry:` settings from the validated configuration, turned into
// the policies' own configuration types (components get their slice by value).

extension CircuitBreakerConfiguration {
    /// The breaker configuration a backend's `breaker:` settings describe.
    public init(_ settings: BackendConfig.BreakerSettings) {
        self.init(
            failureThreshold: max(1, settings.failureThreshold),
            openFor: max(.zero, settings.openFor),
            countedStatuses: Set(settings.countStatuses)
        )
    }
}

extension RetryPolicy.Configuration {
    /// The retry schedule a backend's `retry:` settings describe, with optional jitter (not
    /// configurable in YAML; the default keeps the schedule exact).
    public init(_ settings: BackendConfig.RetrySettings, jitter: Backoff.Jitter = .none) {
        self.init(delays: settings.delays.map { max(.zero, $0) }, jitter: jitter)
    }
}
