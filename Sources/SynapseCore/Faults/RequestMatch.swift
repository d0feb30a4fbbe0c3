/// Which requests a fault rule applies to: a route pattern and an HTTP method, both optional.
///
/// A route is either exact (`/v1/embeddings`) or a prefix ending in `/*` (`/v1/*` matches
/// `/v1` and everything below it). Paths are compared without their query string.
public struct RequestMatch: Sendable, Hashable, Codable {
    /// The route pattern; nil matches every path.
    public var route: String?
    /// The HTTP method, compared case-insensitively; nil matches every method.
    public var method: String?

    public init(route: String? = nil, method: String? = nil) {
        self.route = route
        self.method = method?.uppercased()
    }

    /// Matches every request.
    public static let any = RequestMatch()

    /// Whether a request with this method and path (query allowed) is targeted.
    public func matches(method requestMethod: String, path: String) -> Bool {
        if let method, method != requestMethod.uppercased() { return false }
        guard let route else { return true }
        let bare = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
        if route.hasSuffix("/*") {
            let prefix = String(route.dropLast(2))
            return bare == prefix || bare.hasPrefix(prefix + "/")
        }
        if route == "*" { return true }
        return bare == route
    }
}
