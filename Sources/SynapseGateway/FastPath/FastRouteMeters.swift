import Prometheus
import SynapseCore
import SynapseResilience

/// One fast route's metrics as seen from one event loop: the registry's counters and histograms,
/// looked up once and kept, so a request records its metrics without a registry lookup (each one
/// takes the registry's lock and hashes the metric's name and labels: four a request cost the
/// fast path about 3 µs).
///
/// The objects are the registry's own, so `/metrics` shows the same series whichever path
/// counted a request.
// @unchecked Sendable: created anywhere, then used on its event loop only, like the loop's `RelayPool`.
final class FastRouteMeters: @unchecked Sendable {
    private let metrics: GatewayMetrics
    private let route: String
    private let backend: BackendID
    private var requests: [Int: Counter] = [:]
    private var attempts: [String: Counter] = [:]
    private var requestDuration: DurationHistogram?
    private var attemptDuration: DurationHistogram?

    init(metrics: GatewayMetrics, route: String, backend: BackendID) {
        self.metrics = metrics
        self.route = route
        self.backend = backend
    }

    /// `GatewayMetrics.requestFinished`, from the kept objects.
    func requestFinished(status: Int, duration: Duration) {
        let counter = requests[status] ?? metrics.requestCounter(route: route, backend: backend, status: status)
        requests[status] = counter
        counter.increment()
        let histogram = requestDuration ?? metrics.requestDuration(route: route)
        requestDuration = histogram
        histogram.record(duration)
    }

    /// `GatewayMetrics.attempt`, from the kept objects.
    func attempt(outcome: Outcome, duration: Duration) {
        let label = outcome.label
        let counter = attempts[label] ?? metrics.attemptCounter(backend: backend, outcome: outcome)
        attempts[label] = counter
        counter.increment()
        let histogram = attemptDuration ?? metrics.attemptDuration(backend: backend)
        attemptDuration = histogram
        histogram.record(duration)
    }
}
