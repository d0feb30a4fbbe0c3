import Hummingbird
import SynapseCore

/// The request's server span: from the request's arrival to its body's end.
struct ServerSpan: Sendable {
    let tracer: Tracer
    let trace: SpanContext
    let parent: UInt64?
    let name: String
    let attributes: [(String, Span.Attribute)]
    let start: UInt64

    init(tracer: Tracer, trace: SpanContext, parent: UInt64?, request: Request, route: String?, requestID: String, backend: BackendID?) {
        self.tracer = tracer
        self.trace = trace
        self.parent = parent
        // Built only for a span that will be exported: this runs on every request.
        guard tracer.records(trace) else {
            (name, attributes, start) = ("", [], 0)
            return
        }
        // OpenTelemetry's name for an HTTP server span: the method and the route template.
        name = route.map { request.method.rawValue + " " + $0 } ?? request.method.rawValue
        var attributes: [(String, Span.Attribute)] = [
            ("http.request.method", .string(request.method.rawValue)), ("url.path", .string(request.uri.path)),
            ("synapse.request_id", .string(requestID)),
        ]
        if let route { attributes.append(("http.route", .string(route))) }
        if let backend { attributes.append(("synapse.backend", .string(backend.rawValue))) }
        self.attributes = attributes
        start = tracer.now()
    }

    var isRecorded: Bool { tracer.records(trace) }

    /// Records the span; a 5xx (or a client gone, 499) marks it failed.
    func finish(status: Int, bytes: Int? = nil) {
        guard isRecorded else { return }
        var attributes = attributes
        attributes.append(("http.response.status_code", .int(status)))
        if let bytes { attributes.append(("http.response.body.size", .int(bytes))) }
        let error: String? = status >= 500 ? "HTTP \(status)" : status == 499 ? "client went away" : nil
        tracer.record(
            Span(context: trace, parentSpanID: parent, name: name, kind: .server, start: start, end: tracer.now(), attributes: attributes, error: error))
    }
}
