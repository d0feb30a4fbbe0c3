import Hummingbird

/// What cpp-httplib and llama.cpp's HTTP layer do around every handler:
/// CORS (`Access-Control-Allow-Origin` echoes `Origin`, empty without one; `OPTIONS` on any path is
/// an empty 200), the 503 `Loading model` answer while the model loads, and the JSON 404 for
/// unknown routes and wrong methods.
struct LlamaHTTPMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Whether the server is still loading its model (asked per request).
    let isLoading: @Sendable () -> Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let origin = request.headers[.origin] ?? ""
        var response: Response
        if request.method == .options {
            response = Response(status: .ok, headers: [.contentType: "text/html"], body: .init())
            response.headers[.accessControlAllowCredentials] = "true"
            response.headers[.accessControlAllowMethods] = "GET, POST"
            response.headers[.accessControlAllowHeaders] = "*"
        } else if isLoading() {
            response = LlamaResponse.loadingModel()
        } else {
            do {
                response = try await next(request, context)
            } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
                response = LlamaResponse.fileNotFound()
            }
        }
        response.headers[.accessControlAllowOrigin] = origin
        return response
    }
}
