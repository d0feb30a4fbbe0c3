/// Where a replay goes: `http://host:port[/prefix]`. Scheme, host and port replace the
/// recording's; the prefix, when there is one, is put in front of every replayed path
/// (`http://lb:8080/synapse` sends `/v1/embeddings` as `/synapse/v1/embeddings`).
public struct TargetURL: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// Without a trailing slash; empty when the URL has no path.
    public var pathPrefix: String

    public init(host: String, port: Int, pathPrefix: String = "") {
        self.host = host
        self.port = port
        self.pathPrefix = pathPrefix
    }

    /// The `Host` header for this target: the port is left out when it is HTTP's default.
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == 80 ? name : "\(name):\(port)"
    }

    /// `prefix + path` (the path keeps its query).
    public func uri(for path: String) -> String { pathPrefix + path }

    /// Parses `--target`. Only plain HTTP: the load client has no TLS (a gateway or backend on
    /// the same network is reached without it).
    public static func parse(_ text: String) throws(LoadError) -> TargetURL {
        func fail(_ why: String) -> LoadError { LoadError(code: "bad_target", message: "--target \"\(text)\": \(why)") }
        guard let schemeEnd = text.firstRange(of: "://") else { throw fail("expected http://host[:port][/prefix]") }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        if scheme == "https" { throw fail("https is not supported (the load client speaks plain HTTP/1.1)") }
        guard scheme == "http" else { throw fail("the scheme must be http") }
        let rest = text[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        var path = String(rest.dropFirst(authority.count))
        if path.contains("?") || path.contains("#") { throw fail("a query or fragment cannot be a path prefix") }
        while path.hasSuffix("/") { path.removeLast() }
        var host = Substring(authority)
        var port = 80
        if host.hasPrefix("[") {
            // An IPv6 literal: [::1]:8080
            guard let close = host.firstIndex(of: "]") else { throw fail("unclosed [ in the host") }
            let after = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let value = Int(after.dropFirst()), (1...65535).contains(value) else { throw fail("bad port") }
                port = value
            }
        } else if let colon = host.lastIndex(of: ":") {
            guard let value = Int(host[host.index(after: colon)...]), (1...65535).contains(value) else { throw fail("bad port") }
            port = value
            host = host[..<colon]
        }
        if host.isEmpty { throw fail("no host") }
        return TargetURL(host: String(host), port: port, pathPrefix: path)
    }
}
