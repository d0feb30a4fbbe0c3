/// `SYNAPSE_*` environment variables applied on top of the YAML tree.
///
/// A variable's name is `SYNAPSE_` plus the key path, uppercased, with camelCase words, `.` and `-`
/// turned into `_`: `backends.llama-router.breaker.openFor` ↔ `SYNAPSE_BACKENDS_LLAMA_ROUTER_BREAKER_OPEN_FOR`.
/// Names are generated from the known keys (and the backends the file declares), never parsed back
/// into paths, so a typo is reported instead of silently creating a key. The original gateway's
/// variables keep working as aliases.
public enum EnvironmentOverrides {
    /// The original gateway's names, and the key path each one sets.
    public static let aliases: [(name: String, keyPath: [String])] = [
        ("SYNAPSE_VOICE_LIBRARY_DIR", ["gateway", "voiceLibraryDir"]),
        ("SYNAPSE_LOG_LEVEL", ["gateway", "logLevel"]),
        ("SYNAPSE_ADMIN_TOKEN", ["gateway", "adminToken"]),
    ]
    /// Read by the command line (where the file is), not by the loader.
    public static let configPathVariable = "SYNAPSE_GATEWAY_CONFIG_PATH"

    static let backendKeyPaths: [[String]] = [
        ["url"], ["type"], ["health"], ["timeoutProfile"],
        ["timeouts", "total"], ["timeouts", "connect"], ["timeouts", "idle"],
        ["breaker", "failureThreshold"], ["breaker", "openFor"], ["breaker", "countStatuses"],
        ["retry", "delays"], ["retry", "memoryBufferLimit"], ["limits", "maxRequestBodySize"],
    ]

    /// Every key path that can be overridden for a tree, with its variable name.
    public static func knownVariables(for root: ConfigNode) -> [(name: String, keyPath: [String])] {
        var paths: [[String]] = ConfigLoader.gatewayKeys.sorted().map { ["gateway", $0] }
        paths += TimeoutProfile.allCases.map { ["timeoutProfiles", $0.rawValue] }
        if case .mapping(let backends)? = root["backends"] {
            for backend in backends {
                paths += backendKeyPaths.map { ["backends", backend.key] + $0 }
            }
        }
        return aliases + paths.map { (variableName(for: $0), $0) }
    }

    /// `["backends", "llama-embed", "openFor"]` → `SYNAPSE_BACKENDS_LLAMA_EMBED_OPEN_FOR`.
    public static func variableName(for keyPath: [String]) -> String {
        "SYNAPSE_" + keyPath.map(screamingSnake).joined(separator: "_")
    }

    static func screamingSnake(_ key: String) -> String {
        var out = ""
        for character in key {
            if character == "-" || character == "." {
                out.append("_")
            } else if character.isUppercase, let last = out.last, last != "_" {
                out.append("_")
                out.append(character)
            } else {
                out.append(contentsOf: character.uppercased())
            }
        }
        return out
    }

    /// Applies the variables that name known keys; warns about other `SYNAPSE_*` variables.
    public static func apply(_ environment: [String: String], to root: ConfigNode) -> (ConfigNode, [ConfigIssue]) {
        let known = knownVariables(for: root)
        var node = root
        for variable in known {
            if let value = environment[variable.name] {
                node = node.setting(value, at: variable.keyPath[...])
            }
        }
        let names = Set(known.map(\.name)).union([configPathVariable])
        let unknown = environment.keys.filter { $0.hasPrefix("SYNAPSE_") && !names.contains($0) }.sorted()
        let issues = unknown.map {
            ConfigIssue("", "environment variable \($0) matches no configuration key; ignored", severity: .warning)
        }
        return (node, issues)
    }
}
