import Foundation

/// Decoding of the gateway's access keys: `apiKeys`, `publicRoutes`, `corsAllowedOrigins`,
/// `trustedProxies` (all lists; an environment variable spells one comma-separated).
extension ConfigLoader {
    static let accessKeys: Set<String> = ["apiKeys", "publicRoutes", "corsAllowedOrigins", "trustedProxies"]

    func decodeAccess(_ value: (String) -> ConfigNode?, into gateway: inout GatewaySettings, reader: inout ConfigReader) {
        if let keys = strings(value("apiKeys"), at: "gateway.apiKeys", reader: &reader) {
            // Never echo a key in a message: only its position.
            for (index, key) in keys.enumerated() where key.isEmpty || !key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
                reader.error("gateway.apiKeys", "key #\(index + 1) must be visible ASCII characters without spaces", value("apiKeys"))
            }
            gateway.apiKeys = keys.filter { !$0.isEmpty }
        }
        if let routes = strings(value("publicRoutes"), at: "gateway.publicRoutes", reader: &reader) {
            for route in routes where !route.hasPrefix("/") {
                reader.error("gateway.publicRoutes", "'\(route)' is not a path (it must start with /)", value("publicRoutes"))
            }
            gateway.publicRoutes = routes.filter { !$0.isEmpty }
        }
        if let origins = strings(value("corsAllowedOrigins"), at: "gateway.corsAllowedOrigins", reader: &reader) {
            for origin in origins where !Self.isOrigin(origin) {
                reader.error("gateway.corsAllowedOrigins", "'\(origin)' is not an origin (expected scheme://host[:port], no path)", value("corsAllowedOrigins"))
            }
            gateway.corsAllowedOrigins = origins.filter { !$0.isEmpty }.map { $0.lowercased() }
        }
        if let proxies = strings(value("trustedProxies"), at: "gateway.trustedProxies", reader: &reader) {
            var ranges: [IPRange] = []
            for text in proxies where !text.isEmpty {
                if let range = IPRange(text) {
                    ranges.append(range)
                } else {
                    reader.error("gateway.trustedProxies", "'\(text)' is not an IP address or CIDR block (e.g. 10.0.0.0/8, fd00::/8)", value("trustedProxies"))
                }
            }
            gateway.trustedProxies = ranges
        }
    }

    private func strings(_ node: ConfigNode?, at path: String, reader: inout ConfigReader) -> [String]? {
        guard let items = reader.list(node, at: path) else {
            // An empty environment value or `key:` with nothing means the empty list.
            if case .null? = node { return [] }
            return nil
        }
        return items.enumerated().compactMap { index, item in reader.string(item, at: "\(path)[\(index)]") }
            .map { $0.trimmingWhitespace() }
    }

    /// `https://app.example`, `http://localhost:5173`: a scheme, a host and perhaps a port.
    static func isOrigin(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard let separator = lower.range(of: "://"), lower[..<separator.lowerBound] == "http" || lower[..<separator.lowerBound] == "https"
        else { return false }
        let authority = lower[separator.upperBound...]
        return !authority.isEmpty && !authority.contains("/") && !authority.contains("@") && !authority.contains(" ")
    }
}
