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
        gateway.shutdownGracePeriod ?? longestDeadline ?? .seconds(30)
    }

    /// The longest total deadline a request can have: the largest timeout profile or backend
    /// `timeouts.total`.
    public var longestDeadline: Duration? {
        (timeoutProfiles.values + backends.compactMap(\.timeouts.total)).max()
    }
}
