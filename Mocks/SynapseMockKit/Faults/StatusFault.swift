import Hummingbird
import NIOHTTP1

/// Answers with a status code and a body in the backend's own error format, optionally with Retry-After.
struct StatusFault: Fault {
    let code: Int
    let message: String?
    let retryAfter: Int?

    var capabilities: FaultCapabilities { [.readsRequestFirst] }

    func apply(to request: Request, context: FaultContext, next: (Request) async throws -> Response) async throws -> Response {
        let status = HTTPResponse.Status(code: code)
        var response = context.mock.errorResponse(status: status, message: message ?? HTTPResponseStatus(statusCode: code).reasonPhrase)
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}
