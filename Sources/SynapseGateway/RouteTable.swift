import HTTPTypes
import Hummingbird

/// Client method + path → handler. Built once at start-up, then frozen; a lookup is one
/// dictionary access on the path (the hot path has no pattern matching).
public struct RouteTable: Sendable {
    public typealias Handler = @Sendable (Request, GatewayContext) async throws -> Response

    private var exact: [String: [HTTPRequest.Method: Handler]] = [:]
    /// Paths with one `{parameter}` segment, e.g. `/voices/{id}`, checked after the exact ones.
    private var patterns: [(segments: [Substring], methods: [HTTPRequest.Method: Handler])] = []

    public init() {}

    public mutating func add(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        if path.contains("{") {
            let segments = path.split(separator: "/")
            if let index = patterns.firstIndex(where: { $0.segments == segments }) {
                patterns[index].methods[method] = handler
            } else {
                patterns.append((segments, [method: handler]))
            }
        } else {
            exact[path, default: [:]][method] = handler
        }
    }

    public enum Match {
        /// `pattern` is the route as registered (`/voices/{id}`), a low-cardinality metric label.
        case handler(Handler, parameters: [String: String], pattern: String)
        case methodNotAllowed([HTTPRequest.Method])
        case notFound
    }

    public func match(_ method: HTTPRequest.Method, _ path: String) -> Match {
        if let methods = exact[path] {
            if let handler = methods[method] { return .handler(handler, parameters: [:], pattern: path) }
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
            if let handler = pattern.methods[method] {
                return .handler(handler, parameters: parameters, pattern: "/" + pattern.segments.joined(separator: "/"))
            }
            return .methodNotAllowed(pattern.methods.keys.sorted { $0.rawValue < $1.rawValue })
        }
        return .notFound
    }
}
