import NIOHTTP1
import SynapseCore

/// What an attempt's span says about the call: method and URL.
struct AttemptTarget: Sendable {
    var method: String
    var url: String
}

/// One upstream attempt as a client span: child of the request's (or clone step's) span, named
/// by the method, with the backend, the retry number and the breaker's decision.
struct AttemptSpan: Sendable {
    let tracer: Tracer
    let parent: SpanContext
    let context: SpanContext
    let backend: BackendID
    let target: AttemptTarget
    let attempt: Int
    /// Exported: then it has a span id of its own.
    let isRecorded: Bool
    let start: UInt64

    init(tracer: Tracer, parent: SpanContext, backend: BackendID, target: AttemptTarget, attempt: Int) {
        self.tracer = tracer
        self.parent = parent
        // A span of its own only when it is exported; otherwise the request's span stands for
        // it (no one sees the level between them) and the request's headers already carry it.
        isRecorded = tracer.records(parent)
        self.context = isRecorded ? tracer.child(of: parent) : parent
        self.backend = backend
        self.target = target
        self.attempt = attempt
        self.start = isRecorded ? tracer.now() : 0
    }

    /// Records the span: `breaker` is `allow`, `probe` (the half-open breaker's one trial) or
    /// `reject`; `status` the backend's answer, `error` what failed instead.
    func finish(breaker: String, status: Int? = nil, error: String? = nil) {
        guard isRecorded else { return }
        var attributes: [(String, Span.Attribute)] = [
            ("http.request.method", .string(target.method)), ("url.full", .string(target.url)),
            ("synapse.backend", .string(backend.rawValue)), ("synapse.attempt", .int(attempt)),
            ("synapse.breaker.decision", .string(breaker)),
        ]
        // OpenTelemetry's name for the retry number: absent on the first try.
        if attempt > 1 { attributes.append(("http.request.resend_count", .int(attempt - 1))) }
        if let status { attributes.append(("http.response.status_code", .int(status))) }
        if let error { attributes.append(("error.type", .string(error))) }
        tracer.record(
            Span(
                context: context, parentSpanID: parent.spanID, name: target.method, kind: .client, start: start, end: tracer.now(),
                attributes: attributes, error: error ?? status.flatMap { $0 >= 500 ? "HTTP \($0)" : nil }))
    }
}

extension UpstreamCaller {
    static let traceparentHeader = "traceparent"
    static let tracestateHeader = "tracestate"

    /// Whether an attempt's headers lack its trace context: a recorded attempt has a span id of
    /// its own, and a request the gateway built itself (the clone flow's, the router's) has none
    /// yet; a pass-through request's headers already name the request's span (`HeaderPolicy`),
    /// which an unrecorded attempt shares, so they need no copy.
    static func needsTraceHeader(_ headers: HTTPHeaders, for span: AttemptSpan) -> Bool {
        span.isRecorded || !headers.contains(name: traceparentHeader)
    }

    /// Names `span` as the backend request's parent (the client's own headers were dropped by
    /// `HeaderPolicy`, so these are the only ones).
    static func propagate(_ span: SpanContext, into headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: traceparentHeader, value: span.traceparent)
        if let state = span.state { headers.replaceOrAdd(name: tracestateHeader, value: state) }
    }
}
