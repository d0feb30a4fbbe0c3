import HTTPTypes
import Hummingbird
import NIOCore
import SynapseCore

/// The responses every llama.cpp server writes: compact ordered JSON with
/// `Content-Type: application/json; charset=utf-8`, and its two error envelopes.
enum LlamaResponse {
    static let jsonContentType = "application/json; charset=utf-8"

    /// A JSON answer.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, relayed: Bool = false) -> Response {
        text(value.text(), status: status, relayed: relayed)
    }

    /// A body sent with the JSON content type, whatever it holds (the router's `proxy error:` text too).
    /// `relayed` marks answers that came from a router child, which carry `X-Accel-Buffering: no`.
    static func text(_ body: String, status: HTTPResponse.Status, relayed: Bool = false) -> Response {
        var headers: HTTPFields = [.contentType: jsonContentType]
        if relayed { headers[accelBuffering] = "no" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static let accelBuffering = HTTPField.Name("X-Accel-Buffering")!

    /// The handler error envelope, key order `code, message, type`; the type follows the status.
    static func error(_ status: HTTPResponse.Status, _ message: String, relayed: Bool = false) -> Response {
        json(errorBody(status, message), status: status, relayed: relayed)
    }

    static func errorBody(_ status: HTTPResponse.Status, _ message: String) -> JSONValue {
        .obj(("error", .obj(("code", .int(status.code)), ("message", .string(message)), ("type", .string(errorType(status))))))
    }

    /// llama.cpp's error type for a status code.
    static func errorType(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 401: "authentication_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 501: "not_supported_error"
        case 503: "unavailable_error"
        case 400..<500: "invalid_request_error"
        default: "server_error"
        }
    }

    /// The HTTP layer's own 404 for unknown routes, key order `message, type, code`.
    static func fileNotFound() -> Response {
        json(.obj(("error", .obj(("message", .string("File Not Found")), ("type", .string("not_found_error")), ("code", .int(404))))), status: .notFound)
    }

    /// The answer to every route while the model is still loading, key order `message, type, code`.
    static func loadingModel() -> Response {
        json(
            .obj(("error", .obj(("message", .string("Loading model")), ("type", .string("unavailable_error")), ("code", .int(503))))),
            status: .serviceUnavailable)
    }

    /// `{"status":"ok"}`.
    static func healthOK() -> Response {
        json(.obj(("status", .string("ok"))))
    }

    /// Reads and parses a JSON request body; a parse failure becomes the real 500 answer.
    static func parseBody(_ request: Request, context: some RequestContext) async throws -> ParsedBody {
        parse(try await request.body.collect(upTo: context.maxUploadSize))
    }

    /// A collected body, parsed.
    static func parse(_ buffer: ByteBuffer) -> ParsedBody {
        do {
            return .success(try LlamaJSONParser.parse(Array(buffer.readableBytesView)))
        } catch {
            return .failure(LlamaResponse.error(.internalServerError, error.message))
        }
    }

    /// A request body: parsed JSON, or the answer to send because it was not JSON.
    enum ParsedBody {
        case success(JSONValue)
        case failure(Response)
    }
}
