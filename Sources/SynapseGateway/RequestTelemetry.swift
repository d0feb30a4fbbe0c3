import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Prometheus
import SynapseCore
import Synchronization

/// The outermost middleware: the request id (the client's or a new one) and the proxy trust
/// decision go into the context, and the request's span context becomes the task's current one
/// (`Tracer`); the in-flight gauge, the request metrics, the `X-Request-ID` response header, the
/// access log line and the server span (both once the body has been sent) come out.
struct RequestTelemetry: RouterMiddleware {
    typealias Context = GatewayContext

    let logger: Logger
    let metrics: GatewayMetrics
    let index: RouteIndex
    let gate: RequestGate
    /// One `request` event per request, only while someone listens (`GET /events`).
    var events: EventFeed? = nil
    var tracer: Tracer = .propagating
    /// Bodies of known length up to this size are logged as handed over (see `counted`).
    static let loggedAtOnceLimit = Forwarder.smallBodyLimit

    func handle(_ request: Request, context: GatewayContext, next: (Request, GatewayContext) async throws -> Response) async throws -> Response {
        var context = context
        context.requestID = GatewayResponder.requestID(from: request.headers[GatewayResponder.requestIDField])
        context.trustsForwardedHeaders = gate.trustsForwardedHeaders(from: context.remoteAddress)
        let started = ContinuousClock.now
        metrics.inFlight.increment()
        defer { metrics.inFlight.decrement() }
        // The route as registered (`/voices/{voice_id}`) is a low-cardinality metric label.
        let route = RouteIndex.servedRoute(request, context: context)
        let backend = route.flatMap { index.backend(of: $0, method: request.method) }
        let trace = tracer.requestContext(in: request.headers)
        let span = ServerSpan(
            tracer: tracer, trace: trace.context, parent: trace.parent, request: request, route: route, requestID: context.requestID, backend: backend)
        var response: Response
        do {
            let context = context
            response = try await Tracer.$current.withValue(trace.context) { try await next(request, context) }
        } catch is CancellationError {
            // The client went away; there is nobody to answer.
            if logger.logLevel <= .info {
                AccessLogLine(request: request, requestID: context.requestID, backend: backend, status: 499, started: started).write(to: logger, bytes: 0)
            }
            span.finish(status: 499)
            throw CancellationError()
        }
        response.headers[GatewayResponder.requestIDField] = context.requestID
        let duration = ContinuousClock.now - started
        metrics.requestFinished(route: route ?? "unmatched", backend: backend, status: response.status.code, duration: duration)
        // The feed's own stream is not summarised: it ends only when its client leaves.
        if let events, events.hasListeners, route != EventFeedRoute.path {
            var fields: [(String, JSONValue)] = [
                ("method", .string(request.method.rawValue)), ("route", .string(route ?? request.uri.path)),
                ("status", .number(Double(response.status.code))), ("duration_ms", .number(duration.milliseconds.rounded(toPlaces: 2))),
            ]
            if let overhead = response.headers[Forwarder.overheadField].flatMap(Double.init) { fields.append(("overhead_ms", .number(overhead))) }
            events.publish(.request, backend: backend?.rawValue, fields)
        }
        let logs = logger.logLevel <= .info
        guard logs || span.isRecorded else { return response }
        let line = AccessLogLine(request: request, requestID: context.requestID, backend: backend, status: response.status.code, started: started)
        let status = response.status.code
        return counted(response, isHead: request.method == .head) { [logger] bytes in
            if logs { line.write(to: logger, bytes: bytes) }
            span.finish(status: status, bytes: bytes)
        }
    }

    /// Calls `finished` with the bytes sent once the body has been written (the access log line,
    /// the server span).
    ///
    /// A small body of known length is reported now, with that length: wrapping it to count would
    /// turn Hummingbird's single write of head, body and end into three writes and three
    /// event-loop hops, which cost the pass-through path a sixth of its throughput; its write is
    /// one system call into the socket buffer, so the duration barely moves.
    private func counted(_ response: Response, isHead: Bool, finished: @escaping @Sendable (Int) -> Void) -> Response {
        if let length = response.body.contentLength, length <= Self.loggedAtOnceLimit {
            finished(isHead ? 0 : length)
            return response
        }
        var response = response
        let original = response.body
        response.body = ResponseBody(contentLength: original.contentLength) { writer in
            let counter = ByteCounter()
            defer { finished(counter.value) }
            try await original.write(CountingWriter(base: writer, counter: counter))
        }
        return response
    }
}

/// One access log line: request id, method, path, status, duration, backend and bytes sent.
struct AccessLogLine: Sendable {
    let method: String
    let path: String
    let requestID: String
    let backend: BackendID?
    let status: Int
    let started: ContinuousClock.Instant

    init(request: Request, requestID: String, backend: BackendID?, status: Int, started: ContinuousClock.Instant) {
        self.init(method: request.method.rawValue, path: request.uri.path, requestID: requestID, backend: backend, status: status, started: started)
    }

    init(method: String, path: String, requestID: String, backend: BackendID?, status: Int, started: ContinuousClock.Instant) {
        self.method = method
        self.path = path
        self.requestID = requestID
        self.backend = backend
        self.status = status
        self.started = started
    }

    /// Where the lines say they come from, named rather than derived from the file name on every call.
    static let source = "SynapseGateway"

    /// Once per request, so built without interpolation. To the gateway's own handler the line
    /// goes already formatted, its keys in sorted order (a metadata dictionary built, merged and
    /// sorted per request cost the fast path about 2 µs); to any other, through swift-log.
    func write(to logger: Logger, bytes: Int) {
        let duration = String((ContinuousClock.now - started).milliseconds.rounded(toPlaces: 2))
        if let handler = logger.handler as? BufferedLogHandler, handler.metadata.isEmpty, handler.logLevel <= .info {
            handler.append(level: .info, source: Self.source, message: "request") { line in
                line.write(" http.method=")
                line.write(method)
                line.write(" http.path=")
                line.write(path)
                line.write(" http.status=")
                line.write(String(status))
                if let backend {
                    line.write(" synapse.backend=")
                    line.write(backend.rawValue)
                }
                line.write(" synapse.bytes=")
                line.write(String(bytes))
                line.write(" synapse.duration_ms=")
                line.write(duration)
                line.write(" synapse.request_id=")
                line.write(requestID)
            }
            return
        }
        var metadata: Logger.Metadata = [
            "synapse.request_id": .string(requestID), "http.method": .string(method), "http.path": .string(path),
            "http.status": .string(String(status)), "synapse.duration_ms": .string(duration), "synapse.bytes": .string(String(bytes)),
        ]
        if let backend { metadata["synapse.backend"] = .string(backend.rawValue) }
        logger.info("request", metadata: metadata, source: Self.source)
    }
}

private final class ByteCounter: Sendable {
    private let bytes = Atomic<Int>(0)
    func add(_ count: Int) { bytes.add(count, ordering: .relaxed) }
    var value: Int { bytes.load(ordering: .relaxed) }
}

private struct CountingWriter: ResponseBodyWriter {
    var base: any ResponseBodyWriter
    let counter: ByteCounter

    mutating func write(_ buffer: ByteBuffer) async throws {
        counter.add(buffer.readableBytes)
        try await base.write(buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await base.finish(trailingHeaders)
    }
}
