import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Prometheus
import Synchronization
import SynapseCore

/// The gateway's single responder: request id, dispatch through the `RouteTable`, the one
/// place errors become HTTP, and the access log line.
public struct GatewayResponder: HTTPResponder {
    public typealias Context = GatewayContext

    let routes: RouteTable
    let logger: Logger
    let metrics: GatewayMetrics
    /// API keys, cross-site refusal and CORS; open to everything when not given.
    var gate = RequestGate(settings: GatewaySettings())

    static let requestIDField = HTTPField.Name("X-Request-ID")!

    public func respond(to request: Request, context: GatewayContext) async throws -> Response {
        var context = context
        context.requestID = Self.requestID(from: request.headers[Self.requestIDField])
        context.trustsForwardedHeaders = gate.trustsForwardedHeaders(from: context.remoteAddress)
        let started = ContinuousClock.now
        metrics.inFlight.increment()
        defer { metrics.inFlight.decrement() }
        var response: Response
        var routeLabel = "unmatched"
        var backend: BackendID?
        do {
            try gate.screen(request, context: &context)
            switch routes.match(request.method, request.uri.path) {
            case .handler(let handler, let parameters, let pattern, let routeBackend):
                routeLabel = pattern
                backend = routeBackend
                for (name, value) in parameters { context.coreContext.parameters[name[...]] = value[...] }
                response = try await handler(request, context)
            case .methodNotAllowed(let allowed):
                if Self.answersLikeFastAPI(request.uri.path) { throw GatewayError.detailMethodNotAllowed(allowed: allowed) }
                throw GatewayError.methodNotAllowed(request.method, path: request.uri.path, allowed: allowed)
            case .notFound:
                if Self.answersLikeFastAPI(request.uri.path) { throw GatewayError.detailNotFound }
                throw GatewayError.notFound(path: request.uri.path)
            }
        } catch let error as GatewayError {
            response = try error.response(from: request, context: context)
        } catch let answer as RequestGate.EarlyAnswer {
            response = answer.response
        } catch let error where GatewayError.isClientFramingError(error) {
            response = GatewayError.malformedFraming().response(requestID: context.requestID)
        } catch is CancellationError {
            // The client went away; there is nobody to answer.
            log(request, context: context, backend: backend, status: 499, bytes: 0, started: started)
            throw CancellationError()
        } catch {
            logger.error("unhandled error", metadata: ["synapse.request_id": "\(context.requestID)", "error": "\(error)"])
            response = GatewayError.internalError("Internal gateway error").response(requestID: context.requestID)
        }
        response.headers[Self.requestIDField] = context.requestID
        gate.decorate(&response, for: request)
        metrics.requestFinished(route: routeLabel, backend: backend, status: response.status.code, duration: ContinuousClock.now - started)
        guard logger.logLevel <= .info else { return response }
        return counted(response, request: request, context: context, backend: backend, started: started)
    }

    /// Paths under `/models` answer unknown routes and methods as the original's FastAPI app
    /// does (`{"detail":"Not Found"}`, `{"detail":"Method Not Allowed"}`): its clients read them.
    static func answersLikeFastAPI(_ path: String) -> Bool {
        path == "/models" || path.hasPrefix("/models/")
    }

    /// A client's id is kept when it is reasonable (1–200 visible ASCII characters); otherwise a new one.
    static func requestID(from value: String?) -> String {
        if let value, !value.isEmpty, value.utf8.count <= 200, value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            return value
        }
        return UUID().uuidString.lowercased()
    }

    /// Logs the request once its body has been written, with the bytes sent.
    private func counted(_ response: Response, request: Request, context: GatewayContext, backend: BackendID?,
                         started: ContinuousClock.Instant) -> Response {
        var response = response
        let original = response.body
        let line = AccessLogLine(request: request, requestID: context.requestID, backend: backend, status: response.status.code, started: started)
        let logger = logger
        response.body = ResponseBody(contentLength: original.contentLength) { writer in
            let counter = ByteCounter()
            defer { line.write(to: logger, bytes: counter.value) }
            try await original.write(CountingWriter(base: writer, counter: counter))
        }
        return response
    }

    private func log(_ request: Request, context: GatewayContext, backend: BackendID?, status: Int, bytes: Int, started: ContinuousClock.Instant) {
        guard logger.logLevel <= .info else { return }
        AccessLogLine(request: request, requestID: context.requestID, backend: backend, status: status, started: started)
            .write(to: logger, bytes: bytes)
    }
}

/// One access log line: request id, method, path, status, duration, backend and bytes sent.
private struct AccessLogLine: Sendable {
    let method: String
    let path: String
    let requestID: String
    let backend: BackendID?
    let status: Int
    let started: ContinuousClock.Instant

    init(request: Request, requestID: String, backend: BackendID?, status: Int, started: ContinuousClock.Instant) {
        self.method = request.method.rawValue
        self.path = request.uri.path
        self.requestID = requestID
        self.backend = backend
        self.status = status
        self.started = started
    }

    func write(to logger: Logger, bytes: Int) {
        var metadata: Logger.Metadata = [
            "synapse.request_id": "\(requestID)", "http.method": "\(method)", "http.path": "\(path)", "http.status": "\(status)",
            "synapse.duration_ms": "\((ContinuousClock.now - started).milliseconds.rounded(toPlaces: 2))", "synapse.bytes": "\(bytes)",
        ]
        if let backend { metadata["synapse.backend"] = "\(backend)" }
        logger.info("request", metadata: metadata)
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
