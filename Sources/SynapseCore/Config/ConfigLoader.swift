import Foundation

/// YAML + environment in; `SynapseConfig` or every `ConfigIssue` out.
///
/// ```
/// defaults in init() → YAML file → SYNAPSE_* environment → validate() → SynapseConfig
/// ```
public struct ConfigLoader: Sendable {
    /// The `SYNAPSE_*` variables to apply (pass `ProcessInfo.processInfo.environment`; tests pass their own).
    public var environment: [String: String]

    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    /// Result of a load: the configuration when there are no errors, and every issue (warnings included).
    public struct Outcome: Sendable {
        public var config: SynapseConfig?
        public var issues: [ConfigIssue]
        public var errors: [ConfigIssue] { issues.filter { $0.severity == .error } }
        public var warnings: [ConfigIssue] { issues.filter { $0.severity == .warning } }
    }

    /// Loads a file; a missing or unreadable file is one issue.
    public func load(path: String) -> Outcome {
        guard let data = FileManager.default.contents(atPath: path) else {
            return Outcome(config: nil, issues: [ConfigIssue("", "cannot read configuration file \(path)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return Outcome(config: nil, issues: [ConfigIssue("", "configuration file \(path) is not UTF-8 text")])
        }
        return load(yaml: text)
    }

    public func load(yaml: String) -> Outcome {
        switch ConfigNode.parse(yaml: yaml) {
        case .failure(let issue):
            return Outcome(config: nil, issues: [issue])
        case .success(let node):
            let (overridden, environmentIssues) = EnvironmentOverrides.apply(environment, to: node)
            var reader = ConfigReader()
            let config = decode(overridden, reader: &reader)
            let issues = environmentIssues + reader.issues
            let hasErrors = issues.contains { $0.severity == .error }
            return Outcome(config: hasErrors ? nil : config, issues: issues)
        }
    }

    /// Loads or throws `ConfigError` with every error found.
    public func loadOrThrow(path: String) throws -> SynapseConfig {
        let outcome = load(path: path)
        guard let config = outcome.config else { throw ConfigError(issues: outcome.errors) }
        return config
    }

    // MARK: Decoding

    static let topLevelKeys: Set<String> = ["version", "gateway", "backends", "routes", "timeoutProfiles", "models", "terminalFeed"]
    static let gatewayKeys: Set<String> = Set([
        "host", "port", "voiceLibraryDir", "logLevel", "shutdownGracePeriod", "healthProbeTimeout",
        "maxRequestBodySize", "clientIdleTimeout", "adminToken", "instanceID", "drainWindow", "tls",
    ]).union(accessKeys).union(gatewayLimitKeys)
    static let backendKeys: Set<String> = ["url", "type", "health", "timeoutProfile", "timeouts", "breaker", "retry", "limits", "tls"]
    static let logLevels: Set<String> = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    private func decode(_ root: ConfigNode, reader: inout ConfigReader) -> SynapseConfig {
        var config = SynapseConfig()
        applyEnvironmentDefaults(to: &config)
        let (tracing, tracingIssues) = TracingSettings.from(environment: environment)
        config.tracing = tracing
        for issue in tracingIssues { reader.add(issue) }
        let top = reader.mapping(root, at: "", known: Self.topLevelKeys)
        if case .scalar = root { reader.error("", "expected a mapping with `backends` and `routes`", root) }
        let value = { (key: String) in top.first { $0.key == key }?.value }

        if let version = reader.int(value("version"), at: "version", range: 1...1) { config.version = version }
        decodeGateway(value("gateway"), into: &config.gateway, reader: &reader)
        for entry in reader.mapping(value("timeoutProfiles"), at: "timeoutProfiles", known: Set(TimeoutProfile.allCases.map(\.rawValue))) {
            if let profile = TimeoutProfile(rawValue: entry.key),
                let deadline = reader.duration(entry.value, at: "timeoutProfiles.\(entry.key)")
            {
                config.timeoutProfiles[profile] = deadline
            }
        }
        decodeModels(value("models"), into: &config.models, reader: &reader)
        decodeTerminalFeed(value("terminalFeed"), into: &config.terminalFeed, reader: &reader)
        let backendsNode = value("backends")
        if backendsNode == nil { reader.error("backends", "missing: at least one backend is required", root) }
        for entry in reader.mapping(backendsNode, at: "backends") {
            if let backend = decodeBackend(name: entry.key, node: entry.value, line: entry.line, reader: &reader) {
                config.backends.append(backend)
            }
        }
        for entry in reader.mapping(value("routes"), at: "routes") {
            if let rule = decodeRoute(pattern: entry.key, node: entry.value, line: entry.line, backends: config.backends, reader: &reader) {
                config.routes.append(rule)
            }
        }
        return config
    }

    private func decodeGateway(_ node: ConfigNode?, into gateway: inout GatewaySettings, reader: inout ConfigReader) {
        let entries = reader.mapping(node, at: "gateway", known: Self.gatewayKeys.union(["recording"]))
        let value = { (key: String) in entries.first { $0.key == key }?.value }
        if let host = reader.string(value("host"), at: "gateway.host") { gateway.host = host }
        if let port = reader.int(value("port"), at: "gateway.port", range: 0...65535) { gateway.port = port }
        if let dir = reader.string(value("voiceLibraryDir"), at: "gateway.voiceLibraryDir") { gateway.voiceLibraryDir = dir }
        if let level = reader.string(value("logLevel"), at: "gateway.logLevel") {
            if Self.logLevels.contains(level.lowercased()) {
                gateway.logLevel = level.lowercased()
            } else {
                reader.error(
                    "gateway.logLevel", "unknown log level '\(level)' (expected one of: \(Self.logLevels.sorted().joined(separator: ", ")))", value("logLevel"))
            }
        }
        if let grace = reader.duration(value("shutdownGracePeriod"), at: "gateway.shutdownGracePeriod", allowZero: true) { gateway.shutdownGracePeriod = grace }
        if let drain = reader.duration(value("drainWindow"), at: "gateway.drainWindow", allowZero: true) { gateway.drainWindow = drain }
        if let probe = reader.duration(value("healthProbeTimeout"), at: "gateway.healthProbeTimeout") { gateway.healthProbeTimeout = probe }
        if let size = reader.size(value("maxRequestBodySize"), at: "gateway.maxRequestBodySize") { gateway.maxRequestBodySize = size }
        if let idle = reader.duration(value("clientIdleTimeout"), at: "gateway.clientIdleTimeout") { gateway.clientIdleTimeout = idle }
        if let token = reader.string(value("adminToken"), at: "gateway.adminToken"), !token.isEmpty { gateway.adminToken = token }
        if let instance = reader.string(value("instanceID"), at: "gateway.instanceID"), !instance.isEmpty { gateway.instanceID = instance }
        if let node = value("tls") {
            let files = decodeTLS(node, at: "gateway.tls", reader: &reader)
            if files.caFile != nil { reader.error("gateway.tls.caFile", "client certificates are not asked for; only certFile and keyFile apply", node) }
            if files.certFile == nil { reader.error("gateway.tls", "certFile and keyFile are required", node) }
            gateway.tls = files
        }
        decodeAccess(value, into: &gateway, reader: &reader)
        decodeGatewayLimits(value, into: &gateway, reader: &reader)
        decodeRecording(value("recording"), into: &gateway, reader: &reader)
    }

    private func decodeBackend(name: String, node: ConfigNode, line: Int?, reader: inout ConfigReader) -> BackendConfig? {
        let path = "backends.\(name)"
        guard let id = BackendID(name) else {
            reader.error(path, "backend name must be lowercase letters, digits and '-', starting with a letter", line: line)
            return nil
        }
        let entries = reader.mapping(node, at: path, known: Self.backendKeys)
        let value = { (key: String) in entries.first { $0.key == key }?.value }
        guard let urlText = reader.string(value("url"), at: "\(path).url") else {
            reader.error("\(path).url", "missing", line: line)
            return nil
        }
        guard let url = BackendURL.parse(urlText) else {
            reader.error("\(path).url", "malformed URL '\(urlText)' (expected http://host[:port][/path])", value("url"))
            return nil
        }
        var backend = BackendConfig(id: id, url: url, type: reader.string(value("type"), at: "\(path).type") ?? "generic")
        if let health = reader.string(value("health"), at: "\(path).health") {
            if health.hasPrefix("/") { backend.health = health } else { reader.error("\(path).health", "must be a path starting with '/'", value("health")) }
        }
        backend.timeoutProfile = reader.profile(value("timeoutProfile"), at: "\(path).timeoutProfile")
        decodeTimeouts(value("timeouts"), at: "\(path).timeouts", into: &backend.timeouts, reader: &reader)
        decodeBreaker(value("breaker"), at: "\(path).breaker", into: &backend.breaker, reader: &reader)
        decodeRetry(value("retry"), at: "\(path).retry", into: &backend.retry, reader: &reader)
        decodeBackendLimits(value("limits"), at: "\(path).limits", into: &backend.limits, reader: &reader)
        if let node = value("tls") {
            backend.tls = decodeTLS(node, at: "\(path).tls", reader: &reader)
            if url.scheme != "https" { reader.warning("\(path).tls", "ignored: the backend's URL is not https", node) }
        }
        return backend
    }

    /// `{caFile, certFile, keyFile}`, each file checked (`TLSFiles.problems`).
    func decodeTLS(_ node: ConfigNode, at path: String, reader: inout ConfigReader) -> TLSFiles {
        let entries = reader.mapping(node, at: path, known: TLSFiles.keys)
        let value = { (key: String) in entries.first { $0.key == key }?.value }
        let files = TLSFiles(
            caFile: reader.string(value("caFile"), at: "\(path).caFile"), certFile: reader.string(value("certFile"), at: "\(path).certFile"),
            keyFile: reader.string(value("keyFile"), at: "\(path).keyFile"))
        for problem in files.problems() { reader.error("\(path).\(problem.key)", problem.message, value(problem.key) ?? node) }
        return files
    }

    private func decodeTimeouts(_ node: ConfigNode?, at path: String, into timeouts: inout BackendConfig.Timeouts, reader: inout ConfigReader) {
        let entries = reader.mapping(node, at: path, known: ["total", "connect", "idle"])
        let value = { (key: String) in entries.first { $0.key == key }?.value }
        timeouts.total = reader.duration(value("total"), at: "\(path).total") ?? timeouts.total
        timeouts.connect = reader.duration(value("connect"), at: "\(path).connect") ?? timeouts.connect
        timeouts.idle = reader.duration(value("idle"), at: "\(path).idle") ?? timeouts.idle
    }

    private func decodeBreaker(_ node: ConfigNode?, at path: String, into breaker: inout BackendConfig.BreakerSettings, reader: inout ConfigReader) {
        let entries = reader.mapping(node, at: path, known: ["failureThreshold", "openFor", "countStatuses"])
        let value = { (key: String) in entries.first { $0.key == key }?.value }
        breaker.failureThreshold = reader.int(value("failureThreshold"), at: "\(path).failureThreshold", range: 1...1000) ?? breaker.failureThreshold
        breaker.openFor = reader.duration(value("openFor"), at: "\(path).openFor") ?? breaker.openFor
        if let items = reader.list(value("countStatuses"), at: "\(path).countStatuses") {
            breaker.countStatuses = items.enumerated().compactMap { index, item in
                let status = reader.int(item, at: "\(path).countStatuses[\(index)]", range: 100...599)
                if let status, ![502, 503, 504].contains(status) {
                    reader.error("\(path).countStatuses[\(index)]", "only 502, 503 and 504 can count as failures", item)
                    return nil
                }
                return status
            }
        }
    }

    private func decodeRetry(_ node: ConfigNode?, at path: String, into retry: inout BackendConfig.RetrySettings, reader: inout ConfigReader) {
        let entries = reader.mapping(node, at: path, known: ["delays", "memoryBufferLimit"])
        let value = { (key: String) in entries.first { $0.key == key }?.value }
        if let items = reader.list(value("delays"), at: "\(path).delays") {
            retry.delays = items.enumerated().compactMap { index, item in
                reader.duration(item, at: "\(path).delays[\(index)]", allowZero: true)
            }
        }
        retry.memoryBufferLimit = reader.size(value("memoryBufferLimit"), at: "\(path).memoryBufferLimit") ?? retry.memoryBufferLimit
    }

    private func decodeRoute(pattern: String, node: ConfigNode, line: Int?, backends: [BackendConfig], reader: inout ConfigReader) -> RouteRule? {
        let path = "routes.\(pattern)"
        guard pattern.hasPrefix("/") else {
            reader.error(path, "route must be a path starting with '/'", line: line)
            return nil
        }
        if pattern.dropLast(pattern.hasSuffix("/*") ? 2 : 0).contains("*") {
            reader.error(path, "'*' is only allowed as a final '/*'", line: line)
            return nil
        }
        var backendName: String?
        var profile: TimeoutProfile?
        if case .mapping = node {
            let entries = reader.mapping(node, at: path, known: ["backend", "timeoutProfile"])
            backendName = reader.string(entries.first { $0.key == "backend" }?.value, at: "\(path).backend")
            profile = reader.profile(entries.first { $0.key == "timeoutProfile" }?.value, at: "\(path).timeoutProfile")
        } else {
            backendName = reader.string(node, at: path)
        }
        guard let backendName else {
            reader.error(path, "missing backend name", line: line)
            return nil
        }
        guard let id = BackendID(backendName) else {
            reader.error(path, "'\(backendName)' is not a backend name", node)
            return nil
        }
        guard backends.contains(where: { $0.id == id }) else {
            let known = backends.map(\.id.rawValue).joined(separator: ", ")
            reader.error(path, "unknown backend '\(backendName)' (configured: \(known))", line: line)
            return nil
        }
        return RouteRule(pattern: pattern, backend: id, timeoutProfile: profile)
    }
}
