import Foundation

/// Renders the effective configuration (after defaults and environment overrides) as YAML that
/// `ConfigLoader` reads back to the same value, with secrets redacted.
extension SynapseConfig {
    public func effectiveYAML(redactingSecrets: Bool = true) -> String {
        var lines = ["version: \(version)", "gateway:"]
        let g = gateway
        lines += [
            "  host: \(quoted(g.host))",
            "  port: \(g.port)",
            "  voiceLibraryDir: \(quoted(g.voiceLibraryDir))",
            "  logLevel: \(g.logLevel)",
            "  drainWindow: \(ConfigScalars.format(g.drainWindow))",
            "  healthProbeTimeout: \(ConfigScalars.format(g.healthProbeTimeout))",
            "  maxRequestBodySize: \(ConfigScalars.format(size: g.maxRequestBodySize))",
            "  clientIdleTimeout: \(ConfigScalars.format(g.clientIdleTimeout))",
        ]
        lines += g.limitsYAML
        // Unset (the default) is only a comment: it means "the longest deadline", not a fixed
        // value, and must read back as unset.
        if let grace = g.shutdownGracePeriod {
            lines.append("  shutdownGracePeriod: \(ConfigScalars.format(grace))")
        } else {
            lines.append("  # shutdownGracePeriod: unset, so the longest deadline: \(ConfigScalars.format(effectiveShutdownGracePeriod))")
        }
        if let token = g.adminToken { lines.append("  adminToken: \(redactingSecrets ? quoted("***") : quoted(token))") }
        lines += accessYAML(redactingSecrets: redactingSecrets)
        lines.append("  instanceID: \(quoted(g.instanceID))")
        if let tls = g.tls { lines.append("  tls: \(tlsYAML(tls))") }
        if let r = g.recording {
            lines += [
                "  recording:",
                "    directory: \(quoted(r.directory))",
                "    sampleRate: \(r.sampleRate)",
                "    routes: [\(r.routes.map { quoted($0) }.joined(separator: ", "))]",
                "    redactHeaders: [\(r.redactHeaders.map { quoted($0) }.joined(separator: ", "))]",
                "    maxEntriesPerFile: \(r.maxEntriesPerFile)",
                "    maxFileSize: \(ConfigScalars.format(size: r.maxFileSize))",
                "    bufferSize: \(ConfigScalars.format(size: r.bufferSize))",
                "    maxPendingExchanges: \(r.maxPendingExchanges)",
                "    maxInlineSize: \(ConfigScalars.format(size: r.maxInlineSize))",
            ]
        }
        lines += modelsYAML()
        lines += terminalFeedYAML(redactingSecrets: redactingSecrets)
        // From OTEL_* variables only, so a comment: the file has no such section to read back.
        lines.append(
            "# tracing: "
                + (tracing.endpoint.map { "spans exported to \(redactingSecrets ? BackendURL.parse($0)?.redacted ?? $0 : $0)" }
                    ?? "no span export (traceparent still propagated)"))
        lines.append("timeoutProfiles:")
        for profile in TimeoutProfile.allCases {
            lines.append("  \(profile.rawValue): \(ConfigScalars.format(timeoutProfiles[profile] ?? .zero))")
        }
        lines.append("backends:")
        for b in backends {
            lines += [
                "  \(b.id):",
                "    url: \(quoted(redactingSecrets ? b.url.redacted : b.url.descriptionWithUserInfo))",
                "    type: \(quoted(b.type))",
                "    health: \(quoted(b.health))",
            ]
            if let profile = b.timeoutProfile { lines.append("    timeoutProfile: \(profile.rawValue)") }
            lines.append("    timeouts:")
            if let total = b.timeouts.total { lines.append("      total: \(ConfigScalars.format(total))") }
            lines += [
                "      connect: \(ConfigScalars.format(b.timeouts.connect))",
                "      idle: \(ConfigScalars.format(b.timeouts.idle))",
                "    breaker:",
                "      failureThreshold: \(b.breaker.failureThreshold)",
                "      openFor: \(ConfigScalars.format(b.breaker.openFor))",
                "      countStatuses: [\(b.breaker.countStatuses.map(String.init).joined(separator: ", "))]",
                "    retry:",
                "      delays: [\(b.retry.delays.map(ConfigScalars.format).joined(separator: ", "))]",
                "      memoryBufferLimit: \(ConfigScalars.format(size: b.retry.memoryBufferLimit))",
            ]
            lines += ["    limits:", "      maxInFlight: \(b.limits.maxInFlight)", "      queueTimeout: \(ConfigScalars.format(b.limits.queueTimeout))"]
            if let max = b.limits.maxRequestBodySize { lines.append("      maxRequestBodySize: \(ConfigScalars.format(size: max))") }
            if !b.tls.isEmpty { lines.append("    tls: \(tlsYAML(b.tls))") }
        }
        lines.append("routes:")
        for rule in routes {
            if let profile = rule.timeoutProfile {
                lines.append("  \(rule.pattern): {backend: \(rule.backend), timeoutProfile: \(profile.rawValue)}")
            } else {
                lines.append("  \(rule.pattern): \(rule.backend)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `{caFile: "…", certFile: "…", keyFile: "…"}` with the files that are set.
    private func tlsYAML(_ files: TLSFiles) -> String {
        let members = [("caFile", files.caFile), ("certFile", files.certFile), ("keyFile", files.keyFile)].compactMap { key, file in
            file.map { "\(key): \(quoted($0))" }
        }
        return "{" + members.joined(separator: ", ") + "}"
    }

    private func modelsYAML() -> [String] {
        let m = models
        var lines = [
            "models:",
            "  router: \(m.router)",
            "  profilesPath: \(quoted(m.profilesPath))",
            "  generalModel: \(quoted(m.generalModel))",
            "  coderModel: \(quoted(m.coderModel))",
            "  codingHints: \(quoted(m.codingHints))",
            "  loadTimeout: \(ConfigScalars.format(m.loadTimeout))",
            "  pollInterval: \(ConfigScalars.format(m.pollInterval))",
        ]
        if let max = m.maxLoaded { lines.append("  maxLoaded: \(max)") }
        lines += [
            "  runtime:",
            "    namespace: \(quoted(m.runtime.namespace))",
            "    deployment: \(quoted(m.runtime.deployment))",
            "    container: \(quoted(m.runtime.container))",
            "    reconfigureTimeout: \(ConfigScalars.format(m.runtime.reconfigureTimeout))",
            "    kubernetesAPI: \(quoted(m.runtime.kubernetesAPI))",
            "    serviceAccountDir: \(quoted(m.runtime.serviceAccountDir))",
        ]
        return lines
    }

    private func terminalFeedYAML(redactingSecrets: Bool) -> [String] {
        let f = terminalFeed
        return [
            "terminalFeed:",
            "  mode: \(quoted(f.mode))",
            "  bufferSize: \(f.bufferSize)",
            "  subscriberQueueSize: \(f.subscriberQueueSize)",
            "  backlogLines: \(f.backlogLines)",
            "  keepalive: \(ConfigScalars.format(f.keepalive))",
            "  maxLineChars: \(f.maxLineChars)",
            "  defaultLevel: \(quoted(f.defaultLevel))",
            "  redactExtraPatterns: \(quoted(f.redactExtraPatterns))",
            "  busMode: \(quoted(f.busMode))",
            "  redisURL: \(quoted(redactingSecrets && !f.redisURL.isEmpty ? "***" : f.redisURL))",
            "  redisChannel: \(quoted(f.redisChannel))",
            "  redisConnectTimeout: \(ConfigScalars.format(f.redisConnectTimeout))",
        ]
    }

    private func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

extension BackendURL {
    /// The URL as configured, including any `user:password@`.
    public var descriptionWithUserInfo: String { origin + basePath }

    /// Scheme, any `user:password@`, host and port: what a request target (`basePath` + path) follows.
    public var origin: String {
        guard let userInfo else { return "\(scheme)://\(host):\(port)" }
        return "\(scheme)://\(userInfo)@\(host):\(port)"
    }
}
