/// The shutdown timings derived from the configuration.
///
/// ```
/// SIGTERM ──▶ drain window ──────────────▶ grace period ─────────────────▶ exit 0
///             /readyz 503, still serving     listener closed, in-flight
///             (new requests too)              requests finish (then cut)
/// ```
extension SynapseConfig {
    /// `gateway.shutdownGracePeriod` when set; otherwise the longest deadline any request can
    /// have (every timeout profile and every backend's `timeouts.total`), so a request admitted
    /// during the drain window is never cut before its own deadline.
    public var effectiveShutdownGracePeriod: Duration {
        if let grace = gateway.shutdownGracePeriod { return grace }
        let profiles = timeoutProfiles.values
        let overrides = backends.compactMap(\.timeouts.total)
        return (profiles + overrides).max() ?? .seconds(30)
    }
}
