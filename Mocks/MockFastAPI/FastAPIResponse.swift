import HTTPTypes
import Hummingbird
import NIOCore
import SynapseCore

/// Shared by the three FastAPI mocks (whisper-stt, pyannote-speaker, deepfilter-audio).
/// The responses a FastAPI/Starlette service writes: compact JSON with `content-type:
/// application/json`, `{"detail": …}` errors, and the plain-text 500 of an unhandled exception.
public enum FastAPIResponse {
    /// A JSON answer.
    public static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: value.text(.pythonCompact))))
    }

    /// `{"detail":"<message>"}`.
    public static func detail(_ message: String, status: HTTPResponse.Status) -> Response {
        json(.obj(("detail", .string(message))), status: status)
    }

    /// Starlette's answer to an unhandled exception.
    public static func internalServerError() -> Response {
        Response(
            status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: "Internal Server Error")))
    }
}

/// Starlette's routing answers: `{"detail":"Not Found"}` for unknown paths and
/// `{"detail":"Method Not Allowed"}` with an `allow` header for a known path and another method.
public struct FastAPIRoutingMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Each known path with the methods it accepts, as listed in `allow`.
    public let methods: [String: String]

    public init(methods: [String: String]) {
        self.methods = methods
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            guard let allowed = methods[request.uri.path] else { return FastAPIResponse.detail("Not Found", status: .notFound) }
            var response = FastAPIResponse.detail("Method Not Allowed", status: .methodNotAllowed)
            response.headers[.allow] = allowed
            return response
        }
    }
}
