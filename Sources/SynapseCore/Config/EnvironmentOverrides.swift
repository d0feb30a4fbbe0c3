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
        ("SYNAPSE_API_KEYS", ["gateway", "apiKeys"]),
        ("SYNAPSE_INSTANCE_ID", ["gateway", "instanceID"]),
        ("SYNAPSE_MODEL_PROFILES_PATH", ["models", "profilesPath"]),
        ("SYNAPSE_LLAMA_ROUTER_DEPLOYMENT_NAMESPACE", ["models", "runtime", "namespace"]),
        ("SYNAPSE_LLAMA_ROUTER_DEPLOYMENT_NAME", ["models", "runtime", "deployment"]),
        ("SYNAPSE_LLAMA_ROUTER_CONTAINER_NAME", ["models", "runtime", "container"]),
        ("SYNAPSE_RUNTIME_RECONFIGURE_TIMEOUT_SECONDS", ["models", "runtime", "reconfigureTimeout"]),
        ("SYNAPSE_TERMINAL_FEED_MODE", ["terminalFeed", "mode"]),
        ("SYNAPSE_TERMINAL_FEED_BUFFER_SIZE", ["terminalFeed", "bufferSize"]),
        ("SYNAPSE_TERMINAL_FEED_SUBSCRIBER_QUEUE_SIZE", ["terminalFeed", "subscriberQueueSize"]),
        ("SYNAPSE_TERMINAL_FEED_BACKLOG_LINES", ["terminalFeed", "backlogLines"]),
        ("SYNAPSE_TERMINAL_FEED_KEEPALIVE_SECONDS", ["terminalFeed", "keepalive"]),
        ("SYNAPSE_TERMINAL_FEED_MAX_LINE_CHARS", ["terminalFeed", "maxLineChars"]),
        ("SYNAPSE_TERMINAL_FEED_DEFAULT_LEVEL", ["terminalFeed", "defaultLevel"]),
        ("SYNAPSE_TERMINAL_FEED_REDACT_EXTRA_PATTERNS", ["terminalFeed", "redactExtraPatterns"]),
        ("SYNAPSE_TERMINAL_FEED_BUS_MODE", ["terminalFeed", "busMode"]),
        ("SYNAPSE_TERMINAL_FEED_REDIS_URL", ["terminalFeed", "redisURL"]),
        ("SYNAPSE_TERMINAL_FEED_REDIS_CHANNEL", ["terminalFeed", "redisChannel"]),
        ("SYNAPSE_TERMINAL_FEED_REDIS_CONNECT_TIMEOUT_SECONDS", ["terminalFeed", "redisConnectTimeout"]),
    ]
    /// Read by the command line (where the file is), not by the loader.
    public static let configPathVariable = "SYNAPSE_GATEWAY_CONFIG_PATH"

    static let backendKeyPaths: [[String]] = [
        ["url"], ["type"], ["health"], ["timeoutProfile"],
        ["timeouts", "total"], ["timeouts", "connect"], ["timeouts", "idle"],
        ["breaker", "failureThreshold"], ["breaker", "openFor"], ["breaker", "countStatuses"],
        ["retry", "delays"], ["retry", "memoryBufferLimit"], ["limits", "maxRequestBodySize"],
        ["limits", "maxInFlight"], ["limits", "queueTimeout"],
    ]

    /// Every key path that can be overridden for a tree, with its variable name.
    public static func knownVariables(for root: ConfigNode) -> [(name: String, keyPath: [String])] {
        var paths: [[String]] = ConfigLoader.gatewayKeys.sorted().map { ["gateway", $0] }
        paths += ConfigLoader.recordingKeys.sorted().map { ["gateway", "recording", $0] }
        paths += TimeoutProfile.allCases.map { ["timeoutProfiles", $0.rawValue] }
        paths += ConfigLoader.modelsKeys.subtracting(["runtime"]).sorted().map { ["models", $0] }
        paths += ConfigLoader.runtimeKeys.sorted().map { ["models", "runtime", $0] }
        paths += ConfigLoader.terminalFeedKeys.sorted().map { ["terminalFeed", $0] }
        if case .mapping(let backends)? = root["backends"] {
            for backend in backends {
                paths += backendKeyPaths.map { ["backends", backend.key] + $0 }
            }
        }
        // A generated name that equals an alias (SYNAPSE_TERMINAL_FEED_MODE) is listed once.
        let aliasNames = Set(aliases.map(\.name))
        return aliases + paths.map { (variableName(for: $0), $0) }.filter { !aliasNames.contains($0.0) }
    }

    /// `["backends", "llama-embed", "openFor"]` → `SYNAPSE_BACKENDS_LLAMA_EMBED_OPEN_FOR`.
    public static func variableName(for keyPath: [String]) -> String {
        "SYNAPSE_" + keyPath.map(screamingSnake).joined(separator: "_")
    }

    static func screamingSnake(_ key: String) -> String {
        // A word starts at an uppercase letter after a lowercase one or a digit, so acronyms stay
        // whole: `instanceID` → `INSTANCE_ID`, `redisURL` → `REDIS_URL`; an acronym followed by a
        // word ends before the word's capital: `maxJSONBodySize` → `MAX_JSON_BODY_SIZE`.
        var out = ""
        var previous: Character?
        let characters = Array(key)
        for (index, character) in characters.enumerated() {
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            if character == "-" || character == "." {
                out.append("_")
            } else if character.isUppercase, let last = previous,
                last.isLowercase || last.isNumber || (last.isUppercase && next?.isLowercase == true)
            {
                out.append("_")
                out.append(character)
            } else {
                out.append(contentsOf: character.uppercased())
            }
            previous = character
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
