import Hummingbird
import SynapseMockKit

/// What Starlette adds around every route: the CORS middleware (`allow_origins ["*","null"]`,
/// credentials, GET/POST/OPTIONS, all headers) and FastAPI's `{"detail":"Not Found"}` 404.
struct ChatterboxHTTPMiddleware: RouterMiddleware {
    typealias Context = MockRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let origin = request.headers[.origin]
        if request.method == .options, let origin, let wanted = request.headers[.accessControlRequestMethod] {
            return preflight(origin: origin, method: wanted, requestedHeaders: request.headers[.accessControlRequestHeaders])
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            response = ChatterboxMock.detail(.notFound, "Not Found")
        }
        if origin != nil {
            // With credentials allowed, Starlette echoes the origin only when the request carries cookies.
            if let origin, request.headers[.cookie] != nil {
                response.headers[.accessControlAllowOrigin] = origin
                response.headers[.vary] = "Origin"
            } else {
                response.headers[.accessControlAllowOrigin] = "*"
            }
            response.headers[.accessControlAllowCredentials] = "true"
        }
        return response
    }

    /// Starlette's preflight answer: 200 `OK` (text/plain), or 400 for a method it does not allow.
    private func preflight(origin: String, method: String, requestedHeaders: String?) -> Response {
        var headers = HTTPFields()
        headers[.accessControlAllowOrigin] = origin
        headers[.vary] = "Origin"
        headers[.accessControlAllowMethods] = "GET, POST, OPTIONS"
        headers[.accessControlMaxAge] = "600"
        headers[.accessControlAllowCredentials] = "true"
        if let requestedHeaders { headers[.accessControlAllowHeaders] = requestedHeaders }
        headers[.contentType] = "text/plain; charset=utf-8"
        let allowed = ["GET", "POST", "OPTIONS"].contains(method.uppercased())
        let text = allowed ? "OK" : "Disallowed CORS method"
        return Response(status: allowed ? .ok : .badRequest, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
