import Foundation

/// The `gateway:` access keys in `config dump`, API keys redacted as `***`.
extension SynapseConfig {
    func accessYAML(redactingSecrets: Bool) -> [String] {
        let g = gateway
        let keys = redactingSecrets ? g.apiKeys.map { _ in "***" } : g.apiKeys
        return [
            "  apiKeys: \(Self.flowList(keys))",
            "  publicRoutes: \(Self.flowList(g.publicRoutes))",
            "  corsAllowedOrigins: \(Self.flowList(g.corsAllowedOrigins))",
            "  trustedProxies: \(Self.flowList(g.trustedProxies.map(\.description)))",
        ]
    }

    /// `["a", "b"]`, each item double-quoted so that YAML reads it back as the same string.
    static func flowList(_ items: [String]) -> String {
        let quoted = items.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        return "[" + quoted.joined(separator: ", ") + "]"
    }
}
