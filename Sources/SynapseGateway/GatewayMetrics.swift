import Prometheus
import SynapseCore
import SynapseResilience

/// The gateway's Prometheus metrics, in a registry of its own (no global metrics system, so
/// several gateways can live in one test process).
///
/// | metric | labels |
/// |---|---|
/// | `synapse_requests_total` | route, backend, status |
/// | `synapse_request_duration_seconds` (histogram, to response head) | route |
/// | `synapse_requests_in_flight` (gauge) | |
/// | `synapse_upstream_attempts_total` | backend, outcome |
/// | `synapse_upstream_duration_seconds` (histogram, per attempt, to response head) | backend |
/// | `synapse_retries_total` | backend |
/// | `synapse_breaker_state` (gauge, 1 for the current state) | backend, state |
/// | `synapse_breaker_transitions_total` | backend, from, to, reason |
/// | `synapse_model_waits_total`, `synapse_model_wait_seconds` (histogram): chats' waits for their model | backend, outcome |
/// | `synapse_recording_dropped_total`: exchanges not recorded (buffer full, write failed) | |
/// | `synapse_model_switches_total`, `synapse_model_switch_seconds` (histogram): loads made for chats | backend, model, outcome |
/// | `synapse_trace_spans_dropped_total`: spans not exported (queue full, export failed) | |
/// | `synapse_replica_info` (always 1): which replica answered the scrape | replica |
public final class GatewayMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    static let buckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
    ]
    let inFlight: Gauge

    /// - Parameter replica: this process's replica id (`gateway.instanceID`: the pod's name), so
    ///   one replica's series can be told from another's behind a Service.
    public init(replica: String = "synapse-gateway") {
        registry.makeGauge(name: "synapse_replica_info", labels: [("replica", replica)], help: "1; the label names the replica (its pod)").set(to: 1)
        inFlight = registry.makeGauge(name: "synapse_requests_in_flight", labels: [], help: "Requests being served")
        // Shown from the start (0), so a dashboard can tell "no drops" from "no recorder".
        _ = registry.makeCounter(
            name: "synapse_recording_dropped_total", labels: [], help: "Exchanges not recorded: the recording buffer was full or a write failed")
    }

    func spansDropped(_ count: Int) {
        registry.makeCounter(name: "synapse_trace_spans_dropped_total", labels: [], help: "Spans not exported: the queue was full or the export failed")
            .increment(by: Int64(count))
    }

    func requestFinished(route: String, backend: BackendID?, status: Int, duration: Duration) {
        requestCounter(route: route, backend: backend, status: status).increment()
        requestDuration(route: route).record(duration)
    }

    func requestCounter(route: String, backend: BackendID?, status: Int) -> Counter {
        registry.makeCounter(
            name: "synapse_requests_total",
            labels: [("route", route), ("backend", backend?.rawValue ?? ""), ("status", String(status))],
            help: "Requests answered, by route, backend and status")
    }

    func requestDuration(route: String) -> DurationHistogram {
        registry.makeDurationHistogram(
            name: "synapse_request_duration_seconds", labels: [("route", route)], buckets: Self.buckets,
            help: "Time from request to response head, gateway total")
    }

    /// Counts the requests of `route` answered on the fast path (`FastPath`): how much of the
    /// traffic takes it, and (`codec`) whether the gateway read them off the socket itself
    /// (`wire`, `WireFastPathHandler`) or took them from NIO's HTTP codec (`nio`,
    /// `FastPathHandler`). Made once per route at start-up.
    func fastPathCounter(route: String, codec: String) -> Counter {
        registry.makeCounter(
            name: "synapse_fast_path_requests_total", labels: [("route", route), ("codec", codec)],
            help: "Requests relayed on the event loop without a task (the rest of the route's traffic takes the general path)")
    }

    func attempt(backend: BackendID, outcome: Outcome, duration: Duration) {
        attemptCounter(backend: backend, outcome: outcome).increment()
        attemptDuration(backend: backend).record(duration)
    }

    func attemptCounter(backend: BackendID, outcome: Outcome) -> Counter {
        registry.makeCounter(
            name: "synapse_upstream_attempts_total", labels: [("backend", backend.rawValue), ("outcome", outcome.label)],
            help: "Upstream attempts by outcome")
    }

    func attemptDuration(backend: BackendID) -> DurationHistogram {
        registry.makeDurationHistogram(
            name: "synapse_upstream_duration_seconds", labels: [("backend", backend.rawValue)], buckets: Self.buckets,
            help: "Upstream attempt time to response head")
    }

    /// An exchange the recorder had to drop.
    func recordingDropped() {
        registry.makeCounter(
            name: "synapse_recording_dropped_total", labels: [], help: "Exchanges not recorded: the recording buffer was full or a write failed"
        ).increment()
    }

    func retry(backend: BackendID) {
        registry.makeCounter(name: "synapse_retries_total", labels: [("backend", backend.rawValue)], help: "Retries after connection failures").increment()
    }

    func transition(backend: BackendID, _ transition: BreakerTransition) {
        registry.makeCounter(
            name: "synapse_breaker_transitions_total",
            labels: [
                ("backend", backend.rawValue), ("from", transition.from.rawValue), ("to", transition.to.rawValue),
                ("reason", transition.reason.rawValue),
            ],
            help: "Circuit breaker state changes"
        ).increment()
    }

    /// A chat's wait for its model: `ready` (no wait), `loaded`, `failed`, `timeout` or `cancelled`.
    func modelWait(backend: BackendID, outcome: String, duration: Duration) {
        registry.makeCounter(
            name: "synapse_model_waits_total", labels: [("backend", backend.rawValue), ("outcome", outcome)],
            help: "Chats that waited for their model, by outcome"
        ).increment()
        registry.makeDurationHistogram(
            name: "synapse_model_wait_seconds", labels: [("backend", backend.rawValue), ("outcome", outcome)],
            buckets: Self.modelBuckets, help: "Time chats waited for their model"
        ).record(duration)
    }

    /// A model switch (unload, load, wait) made for a chat.
    func modelSwitch(backend: BackendID, model: String, outcome: String, duration: Duration) {
        registry.makeCounter(
            name: "synapse_model_switches_total",
            labels: [("backend", backend.rawValue), ("model", model), ("outcome", outcome)],
            help: "Model loads made before chats, by outcome"
        ).increment()
        registry.makeDurationHistogram(
            name: "synapse_model_switch_seconds", labels: [("backend", backend.rawValue), ("outcome", outcome)],
            buckets: Self.modelBuckets, help: "Time to switch the router to a chat's model"
        ).record(duration)
    }

    static let modelBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30),
        .seconds(60), .seconds(120), .seconds(240),
    ]

    /// Sets the breaker gauges from current snapshots, then renders the text format.
    func render(breakers: [BackendID: BreakerSnapshot]) -> [UInt8] {
        for (backend, snapshot) in breakers {
            for state in BreakerState.allCases {
                registry.makeGauge(
                    name: "synapse_breaker_state", labels: [("backend", backend.rawValue), ("state", state.rawValue)],
                    help: "1 for the breaker's current state"
                ).set(to: snapshot.state == state ? 1.0 : 0.0)
            }
        }
        return registry.emitToBuffer()
    }
}
