import HTTPTypes
import Hummingbird
import SynapseCore

/// Client method + path → handler. Built once at start-up, then frozen; a lookup is one
/// dictionary access on the path (the hot path has no pattern matching).
public struct RouteTable: Sendable {
    public typealias Handler = @Sendable (Request, GatewayContext) async throws -> Response

    /// A handler and the backend it forwards to (for logs and metrics), if any.
    struct Endpoint {
        var handler: Handler
        var backend: BackendID?
    }

    private var exact: [String: [HTTPRequest.Method: Endpoint]] = [:]
    /// Paths with one `{parameter}` segment, e.g. `/voices/{id}`, checked after the exact ones.
    private var patterns: [(segments: [Substring], methods: [HTTPRequest.Method: Endpoint])] = []

    public init() {}

    public mutating func add(_ method: HTTPRequest.Method, _ path: String, backend: BackendID? = nil, _ handler: @escaping Handler) {
        let endpoint = Endpoint(handler: handler, backend: backend)
        if path.contains("{") {
            let segments = path.split(separator: "/")
            if let index = patterns.firstIndex(where: { $0.segments == segments }) {
                patterns[index].methods[method] = endpoint
            } else {
                patterns.append((segments, [method: endpoint]))
            }
        } else {
            exact[path, default: [:]][method] = endpoint
        }
    }

    public enum Match {
        /// `pattern` is the route as registered (`/voices/{id}`), a low-cardinality metric label.
        case handler(Handler, parameters: [String: String], pattern: String, backend: BackendID?)
        case methodNotAllowed([HTTPRequest.Method])
        case notFound
    }

    public func match(_ method: HTTPRequest.Method, _ path: String) -> Match {
        if let methods = exact[path] {
            if let endpoint = methods[method] { return .handler(endpoint.handler, parameters: [:], pattern: path, backend: endpoint.backend) }
            return .methodNotAllowed(methods.keys.sorted { $0.rawValue < $1.rawValue })
        }
        let segments = path.split(separator: "/")
        for pattern in patterns where pattern.segments.count == segments.count {
            var parameters: [String: String] = [:]
            let matches = zip(pattern.segments, segments).allSatisfy { expected, actual in
                if expected.hasPrefix("{") {
                    parameters[String(expected.dropFirst().dropLast())] = String(actual)
                    return true
                }
                return expected == actual
            }
            guard matches else { continue }
            if let endpoint = pattern.methods[method] {
                let label = "/" + pattern.segments.joined(separator: "/")
                return .handler(endpoint.handler, parameters: parameters, pattern: label, backend: endpoint.backend)
            }
            return .methodNotAllowed(pattern.methods.keys.sorted { $0.rawValue < $1.rawValue })
        }
        return .notFound
    }
}
