import HTTPTypes
import Hummingbird
import SynapseCore

/// Client method + path → handler. Routes are collected at start-up, then served by
/// Hummingbird's `Router` (a trie of exact segments and `{parameter}` segments) behind the
/// gateway's middleware: see `makeResponder(middlewares:)`.
///
/// Beside the router the table keeps a `RouteIndex` for what the router does not answer: the
/// methods a path has (Hummingbird treats a wrong method as a miss; the gateway answers 405 with
/// `Allow`) and the backend each route serves (for logs and metrics).
///
/// The pass-through routes (`/v1/embeddings`, `/stt/*`, …) are registered here like the
/// gateway's own: one trie lookup instead of the former single dictionary lookup. Not yet
/// measured against it (the release bench is the lead's); should it show, they can go back to a
/// dictionary consulted before the router.
public struct RouteTable: Sendable {
    public typealias Handler = @Sendable (Request, GatewayContext) async throws -> Response

    private struct Registration: Sendable {
        var method: HTTPRequest.Method
        var path: String
        var backend: BackendID?
        var staysOnEventLoop: Bool
        var handler: Handler
    }

    /// In registration order; registering a method and path again replaces the earlier handler.
    private var registrations: [Registration] = []

    public init() {}

    /// Adds a route. `path` is exact, or has `{name}` segments (`/voices/{voice_id}`), read with
    /// `context.parameters.get("name")`; `backend` is the one it forwards to, if any.
    ///
    /// A connection is served on its event loop (`EventLoopBoundChannel`); a handler runs there
    /// only when `staysOnEventLoop` says it never blocks (the pure pass-through routes). Every
    /// other handler runs on the cooperative pool, so that file I/O (voices, profiles) or a long
    /// computation never holds up the other connections of the loop.
    public mutating func add(
        _ method: HTTPRequest.Method, _ path: String, backend: BackendID? = nil, staysOnEventLoop: Bool = false,
        _ handler: @escaping Handler
    ) {
        registrations.removeAll { $0.method == method && $0.path == path }
        registrations.append(Registration(method: method, path: path, backend: backend, staysOnEventLoop: staysOnEventLoop, handler: handler))
    }

    /// Every registered method and path, as registered (`/voices/{voice_id}`), in registration
    /// order: what `/openapi.json` must describe, no more and no less (`OpenAPICoverageTests`).
    var registeredRoutes: [(method: HTTPRequest.Method, path: String)] {
        registrations.map { ($0.method, $0.path) }
    }

    /// Which methods and backends the registered routes have.
    var index: RouteIndex {
        var index = RouteIndex()
        for registration in registrations { index.add(registration.method, registration.path, backend: registration.backend) }
        return index
    }

    /// A router over every route, each behind `middlewares` (outermost first). Requests that
    /// match no route pass through the same middlewares, which answer them.
    func makeResponder(middlewares: [any MiddlewareProtocol<Request, Response, GatewayContext>]) -> RouterResponder<GatewayContext> {
        let router = Router(context: GatewayContext.self)
        // Middleware applies to the routes added after it, so it goes first.
        for middleware in middlewares { router.add(middleware: middleware) }
        for registration in registrations {
            let endpoint = Endpoint(handler: registration.handler, staysOnEventLoop: registration.staysOnEventLoop)
            router.on(RouterPath(registration.path), method: registration.method, responder: endpoint)
        }
        return router.buildResponder()
    }

    /// A registered handler as the router's responder.
    private struct Endpoint: HTTPResponder {
        let handler: Handler
        let staysOnEventLoop: Bool

        func respond(to request: Request, context: GatewayContext) async throws -> Response {
            if staysOnEventLoop { return try await handler(request, context) }
            return try await withTaskExecutorPreference(globalConcurrentExecutor) { try await handler(request, context) }
        }
    }
}

/// The methods of each registered route and the backend each serves, for what the router's trie
/// does not say.
struct RouteIndex: Sendable {
    private var exact: [String: [HTTPRequest.Method: BackendID?]] = [:]
    /// Routes with `{parameter}` segments, checked after the exact ones.
    private var patterns: [(segments: [Substring], methods: [HTTPRequest.Method: BackendID?])] = []

    mutating func add(_ method: HTTPRequest.Method, _ path: String, backend: BackendID?) {
        if path.contains("{") {
            let segments = path.split(separator: "/")
            if let index = patterns.firstIndex(where: { $0.segments == segments }) {
                patterns[index].methods[method] = backend
            } else {
                patterns.append((segments, [method: backend]))
            }
        } else {
            exact[path, default: [:]][method] = backend
        }
    }

    /// The methods of the route matching `path` (empty when none does), sorted, for `Allow`.
    func allowedMethods(for path: String) -> [HTTPRequest.Method] {
        let methods: [HTTPRequest.Method: BackendID?]?
        if let found = exact[path] {
            methods = found
        } else {
            let segments = path.split(separator: "/")
            methods =
                patterns.first { pattern in
                    pattern.segments.count == segments.count
                        && zip(pattern.segments, segments).allSatisfy { expected, actual in expected.hasPrefix("{") || expected == actual }
                }?.methods
        }
        return (methods?.keys).map { $0.sorted { $0.rawValue < $1.rawValue } } ?? []
    }

    /// The backend a route (as registered: `/voices/{voice_id}`) forwards to with `method`.
    func backend(of route: String, method: HTTPRequest.Method) -> BackendID? {
        if let methods = exact[route] { return methods[method] ?? nil }
        let segments = route.split(separator: "/")
        return patterns.first { $0.segments == segments }?.methods[method] ?? nil
    }

    /// The route serving this request (as registered), or nil when none does: the router's
    /// match, except that a route without parameters serves its exact path only, as it always
    /// has (the trie skips empty segments, so it also matches `/voices/` and `//voices`).
    static func servedRoute(_ request: Request, context: GatewayContext) -> String? {
        guard let route = context.endpointPath else { return nil }
        if !route.contains("{"), route != request.uri.path { return nil }
        return route
    }
}
