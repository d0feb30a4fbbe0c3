/// Decoding of the `models:` and `terminalFeed:` sections, and the defaults the original took
/// from the process environment (`HOSTNAME`, `KUBERNETES_SERVICE_*`).
extension ConfigLoader {
    static let modelsKeys: Set<String> = [
        "router", "profilesPath", "generalModel", "coderModel", "codingHints", "loadTimeout", "pollInterval", "maxLoaded", "runtime",
    ]
    static let runtimeKeys: Set<String> = ["namespace", "deployment", "container", "reconfigureTimeout", "kubernetesAPI", "serviceAccountDir"]
    static let terminalFeedKeys: Set<String> = [
        "mode", "bufferSize", "subscriberQueueSize", "backlogLines", "keepalive", "maxLineChars", "defaultLevel",
        "redactExtraPatterns", "busMode", "redisURL", "redisChannel", "redisConnectTimeout",
    ]

    /// Defaults that depend on where the gateway runs, as the original computed them at import.
    func applyEnvironmentDefaults(to config: inout SynapseConfig) {
        if let host = environment["HOSTNAME"], !host.isEmpty { config.gateway.instanceID = host }
        if let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty {
            let port = environment["KUBERNETES_SERVICE_PORT_HTTPS"].flatMap { $0.isEmpty ? nil : $0 } ?? "443"
            let bracketed = host.contains(":") ? "[\(host)]" : host
            config.models.runtime.kubernetesAPI = "https://\(bracketed):\(port)"
        }
    }

    func decodeModels(_ node: ConfigNode?, into models: inout ModelSettings, reader: inout ConfigReader) {
        let entries = reader.mapping(node, at: "models", known: Self.modelsKeys)
        let value = { (key: String) in entries.first { $0.key == key }?.value }
        if let router = reader.string(value("router"), at: "models.router") {
            if let id = BackendID(router) { models.router = id } else { reader.error("models.router", "'\(router)' is not a backend name", value("router")) }
        }
        if let path = reader.string(value("profilesPath"), at: "models.profilesPath"), !path.isEmpty { models.profilesPath = path }
        if let model = reader.string(value("generalModel"), at: "models.generalModel"), !model.isEmpty { models.generalModel = model }
        if let model = reader.string(value("coderModel"), at: "models.coderModel"), !model.isEmpty { models.coderModel = model }
        if let hints = reader.string(value("codingHints"), at: "models.codingHints") {
            if (try? Regex(hints)) != nil {
                models.codingHints = hints
            } else {
                reader.error("models.codingHints", "not a valid regular expression", value("codingHints"))
            }
        }
        models.loadTimeout = reader.duration(value("loadTimeout"), at: "models.loadTimeout") ?? models.loadTimeout
        models.pollInterval = reader.duration(value("pollInterval"), at: "models.pollInterval") ?? models.pollInterval
        if let max = reader.int(value("maxLoaded"), at: "models.maxLoaded", range: 0...1024) { models.maxLoaded = max == 0 ? nil : max }
        let runtime = reader.mapping(value("runtime"), at: "models.runtime", known: Self.runtimeKeys)
        let setting = { (key: String) in runtime.first { $0.key == key }?.value }
        if let text = reader.string(setting("namespace"), at: "models.runtime.namespace"), !text.isEmpty { models.runtime.namespace = text }
        if let text = reader.string(setting("deployment"), at: "models.runtime.deployment"), !text.isEmpty { models.runtime.deployment = text }
        if let text = reader.string(setting("container"), at: "models.runtime.container"), !text.isEmpty { models.runtime.container = text }
        models.runtime.reconfigureTimeout =
            reader.duration(setting("reconfigureTimeout"), at: "models.runtime.reconfigureTimeout")
            ?? models.runtime.reconfigureTimeout
        if let text = reader.string(setting("kubernetesAPI"), at: "models.runtime.kubernetesAPI"), !text.isEmpty { models.runtime.kubernetesAPI = text }
        if let text = reader.string(setting("serviceAccountDir"), at: "models.runtime.serviceAccountDir"), !text.isEmpty {
            models.runtime.serviceAccountDir = text
        }
    }

    func decodeTerminalFeed(_ node: ConfigNode?, into feed: inout TerminalFeedSettings, reader: inout ConfigReader) {
        let path = "terminalFeed"
        let entries = reader.mapping(node, at: path, known: Self.terminalFeedKeys)
        let value = { (key: String) in entries.first { $0.key == key }?.value }
        feed.mode = reader.string(value("mode"), at: "\(path).mode") ?? feed.mode
        feed.bufferSize = reader.int(value("bufferSize"), at: "\(path).bufferSize", range: 0...1_000_000) ?? feed.bufferSize
        feed.subscriberQueueSize = reader.int(value("subscriberQueueSize"), at: "\(path).subscriberQueueSize", range: 0...1_000_000) ?? feed.subscriberQueueSize
        feed.backlogLines = reader.int(value("backlogLines"), at: "\(path).backlogLines", range: 0...1_000_000) ?? feed.backlogLines
        feed.keepalive = reader.duration(value("keepalive"), at: "\(path).keepalive", allowZero: true) ?? feed.keepalive
        feed.maxLineChars = reader.int(value("maxLineChars"), at: "\(path).maxLineChars", range: 0...1_000_000) ?? feed.maxLineChars
        feed.defaultLevel = reader.string(value("defaultLevel"), at: "\(path).defaultLevel") ?? feed.defaultLevel
        feed.redactExtraPatterns = reader.string(value("redactExtraPatterns"), at: "\(path).redactExtraPatterns") ?? feed.redactExtraPatterns
        feed.busMode = reader.string(value("busMode"), at: "\(path).busMode") ?? feed.busMode
        feed.redisURL = reader.string(value("redisURL"), at: "\(path).redisURL") ?? feed.redisURL
        if let channel = reader.string(value("redisChannel"), at: "\(path).redisChannel"), !channel.trimmingWhitespace().isEmpty {
            feed.redisChannel = channel
        }
        feed.redisConnectTimeout = reader.duration(value("redisConnectTimeout"), at: "\(path).redisConnectTimeout") ?? feed.redisConnectTimeout
        if feed.isLive, feed.busMode.trimmingWhitespace().lowercased() == "redis" {
            // The original publishes to Redis here (and refuses to start without a URL); Synapse
            // has no Redis bus yet, so the feed shows this replica's events only.
            reader.warning("\(path).busMode", "busMode redis is not supported yet; the feed shows this replica's events only", value("busMode"))
        }
    }
}
