import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SynapseCore

/// The only error that reaches clients: a status plus an OpenAI-SDK-readable JSON body with a stable `code`.
///
/// ```json
/// {"error":{"message":"…","type":"…","code":"backend_unavailable","backend":"llama-embed","request_id":"…"}}
/// ```
public struct GatewayError: HTTPResponseError, Sendable, Equatable {
    public var status: HTTPResponse.Status
    /// Stable, matchable identifier (`backend_unavailable`, `upstream_timeout`, `circuit_open`…).
    public var code: String
    /// Coarse class in OpenAI's vocabulary (`invalid_request_error`, `server_error`…).
    public var type: String
    public var message: String
    public var backend: BackendID?
    /// Extra response headers (`Allow`, `Retry-After`).
    public var headers: HTTPFields = [:]
    /// For wrapped upstream errors: the start of the upstream body.
    public var detail: String?
    /// How the body is written: the gateway's envelope, or FastAPI's `{"detail": "…"}`, which
    /// the original's LLM and `/models*` routes answer and their clients read.
    public var bodyStyle: BodyStyle = .envelope

    public enum BodyStyle: Sendable, Equatable {
        /// `{"error":{"message","type","code","backend","request_id"}}`.
        case envelope
        /// `{"detail": message}`.
        case detail
    }

    public init(
        status: HTTPResponse.Status, code: String, type: String, message: String, backend: BackendID? = nil, headers: HTTPFields = [:], detail: String? = nil
    ) {
        self.status = status
        self.code = code
        self.type = type
        self.message = message
        self.backend = backend
        self.headers = headers
        self.detail = detail
    }

    // MARK: The catalogue

    public static func backendUnavailable(_ backend: BackendID, reason: String) -> GatewayError {
        .init(
            status: .serviceUnavailable, code: "backend_unavailable", type: "server_error",
            message: "Backend \(backend) is unavailable: \(reason)", backend: backend)
    }

    /// TLS with an `https` backend failed: a certificate problem, which no retry mends.
    public static func backendTLSFailed(_ backend: BackendID, reason: String) -> GatewayError {
        .init(
            status: .badGateway, code: "backend_tls_failed", type: "server_error",
            message: "TLS with backend \(backend) failed: \(reason); see backends.\(backend).tls (caFile, certFile, keyFile)", backend: backend)
    }

    /// The backend's breaker is open: fail fast, and say when to come back.
    public static func circuitOpen(_ backend: BackendID, retryAfter seconds: Int) -> GatewayError {
        var headers = HTTPFields()
        headers[.retryAfter] = String(seconds)
        return .init(
            status: .serviceUnavailable, code: "circuit_open", type: "server_error",
            message: "Backend \(backend) is failing; its circuit breaker is open (retry after \(seconds) s)",
            backend: backend, headers: headers)
    }

    public static func upstreamTimeout(_ backend: BackendID, after: Duration) -> GatewayError {
        .init(
            status: .gatewayTimeout, code: "upstream_timeout", type: "server_error",
            message: "Backend \(backend) did not answer within \(ConfigScalars.format(after))", backend: backend)
    }

    public static func badGateway(_ backend: BackendID, reason: String) -> GatewayError {
        .init(
            status: .badGateway, code: "bad_gateway", type: "server_error",
            message: "Backend \(backend) sent a broken response: \(reason)", backend: backend)
    }

    public static func invalidRequest(_ message: String, code: String = "invalid_request") -> GatewayError {
        .init(status: .badRequest, code: code, type: "invalid_request_error", message: message)
    }

    public static func payloadTooLarge(limit: Int) -> GatewayError {
        .init(
            status: .contentTooLarge, code: "payload_too_large", type: "invalid_request_error",
            message: "Request body exceeds the limit of \(ConfigScalars.format(size: limit))")
    }

    public static func unsupportedMediaType(_ message: String) -> GatewayError {
        .init(status: .unsupportedMediaType, code: "unsupported_media_type", type: "invalid_request_error", message: message)
    }

    public static func notFound(path: String) -> GatewayError {
        .init(status: .notFound, code: "not_found", type: "invalid_request_error", message: "No route for \(path)")
    }

    public static func methodNotAllowed(_ method: HTTPRequest.Method, path: String, allowed: [HTTPRequest.Method]) -> GatewayError {
        var headers = HTTPFields()
        headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return .init(
            status: .methodNotAllowed, code: "method_not_allowed", type: "invalid_request_error",
            message: "\(method.rawValue) is not allowed on \(path)", headers: headers)
    }

    public static func noBackend(for path: String) -> GatewayError {
        .init(
            status: .serviceUnavailable, code: "backend_unavailable", type: "server_error",
            message: "No backend is configured for \(path)")
    }

    public static func internalError(_ message: String) -> GatewayError {
        .init(status: .internalServerError, code: "internal_error", type: "server_error", message: message)
    }

    // MARK: Rendering

    /// The JSON body, with the request id of the request that failed.
    public func body(requestID: String) -> ByteBuffer {
        if bodyStyle == .detail {
            return ByteBuffer(bytes: JSONValue.obj(("detail", .string(message))).bytes(.pythonCompact))
        }
        // Members in sorted key order, as the envelope has always been written.
        var error: [(String, JSONValue)] = []
        if let backend { error.append(("backend", .string(backend.rawValue))) }
        error.append(("code", .string(code)))
        if let detail { error.append(("detail", .string(detail))) }
        error += [("message", .string(message)), ("request_id", .string(requestID)), ("type", .string(type))]
        return ByteBuffer(bytes: JSONValue.obj(("error", .object(error))).bytes())
    }

    /// Hummingbird's rendering of a thrown error: the same response as `response(requestID:)`,
    /// with the request id of the gateway's context (or the client's header elsewhere).
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let requestID = (context as? GatewayContext)?.requestID ?? request.headers[GatewayResponder.requestIDField] ?? ""
        return response(requestID: requestID)
    }

    public func response(requestID: String) -> Response {
        let (fields, body) = rendered(requestID: requestID)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: body))
    }

    /// The answer's headers (its own, the JSON type and the length) and body.
    func rendered(requestID: String) -> (HTTPFields, ByteBuffer) {
        var fields = headers
        fields[.contentType] = "application/json"
        let body = body(requestID: requestID)
        fields[.contentLength] = String(body.readableBytes)
        return (fields, body)
    }
}
