import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SynapseCore

/// The gateway's responder: every route on Hummingbird's router, behind the gateway's two
/// middlewares.
///
/// ```
/// request ─▶ RequestTelemetry ─▶ RecordingMiddleware ─▶ RequestScreening ─▶ route handler
///            request id,          HAR tee when            API keys, CORS,      (or 404 / 405 when none)
///            metrics, access log  recording is on         errors → responses
/// ```
public struct GatewayResponder: HTTPResponder {
    public typealias Context = GatewayContext

    private let router: RouterResponder<GatewayContext>

    static let requestIDField = HTTPField.Name("X-Request-ID")!

    /// - Parameter gate: API keys, cross-site refusal and CORS; open to everything when not given.
    /// - Parameter recording: tees exchanges into the recorder, just inside telemetry.
    /// - Parameter events: gets one summary per request while a client listens to `GET /events`.
    /// - Parameter tracer: trace context for every request; spans when it records.
    init(
        routes: RouteTable, logger: Logger, metrics: GatewayMetrics, gate: RequestGate = RequestGate(settings: GatewaySettings()),
        recording: RecordingMiddleware? = nil, events: EventFeed? = nil, tracer: Tracer = .propagating
    ) {
        let index = routes.index
        var middlewares: [any MiddlewareProtocol<Request, Response, GatewayContext>] = [
            RequestTelemetry(logger: logger, metrics: metrics, index: index, gate: gate, events: events, tracer: tracer)
        ]
        if let recording { middlewares.append(recording) }
        middlewares.append(RequestScreening(gate: gate, index: index, logger: logger))
        router = routes.makeResponder(middlewares: middlewares)
    }

    public func respond(to request: Request, context: GatewayContext) async throws -> Response {
        try await router.respond(to: request, context: context)
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
        return RequestIDSource.shared.next()
    }
}

/// Access checks and CORS (`RequestGate`), the answer for a request no route serves (404, or 405
/// with `Allow`), and the one place errors become HTTP responses.
struct RequestScreening: RouterMiddleware {
    typealias Context = GatewayContext

    let gate: RequestGate
    let index: RouteIndex
    let logger: Logger

    func handle(_ request: Request, context: GatewayContext, next: (Request, GatewayContext) async throws -> Response) async throws -> Response {
        var context = context
        var response: Response
        do {
            // Screened before routing is looked at: an unknown path without a key is a 401.
            try gate.screen(request, context: &context)
            guard RouteIndex.servedRoute(request, context: context) != nil else { throw miss(request) }
            response = try await next(request, context)
        } catch let error as GatewayError {
            response = try error.response(from: request, context: context)
        } catch let answer as RequestGate.EarlyAnswer {
            response = answer.response
        } catch let error where GatewayError.isClientFramingError(error) {
            response = GatewayError.malformedFraming().response(requestID: context.requestID)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            logger.error("unhandled error", metadata: ["synapse.request_id": "\(context.requestID)", "error": "\(error)"])
            response = GatewayError.internalError("Internal gateway error").response(requestID: context.requestID)
        }
        gate.decorate(&response, for: request)
        return response
    }

    /// 405 when the path has routes for other methods, else 404; FastAPI's wording under `/models`.
    private func miss(_ request: Request) -> GatewayError {
        let path = request.uri.path
        let allowed = index.allowedMethods(for: path)
        if allowed.isEmpty {
            return GatewayResponder.answersLikeFastAPI(path) ? .detailNotFound : .notFound(path: path)
        }
        return GatewayResponder.answersLikeFastAPI(path)
            ? .detailMethodNotAllowed(allowed: allowed) : .methodNotAllowed(request.method, path: request.uri.path, allowed: allowed)
    }
}
