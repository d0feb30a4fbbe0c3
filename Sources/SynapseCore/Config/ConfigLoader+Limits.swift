/// The gateway's request limits (`gateway.maxJSONBodySize`, `gateway.headerReadTimeout`, …):
/// sizes, slow-client timeouts and connection caps, each with a safe default in `GatewaySettings`.
extension ConfigLoader {
    static let gatewayLimitKeys: Set<String> = [
        "maxJSONBodySize", "maxJSONPassThroughSize", "headerReadTimeout", "bodyIdleTimeout", "minBodyRate",
        "bodyRateGracePeriod", "maxConnections", "maxHeaderBytes", "maxHeaderCount", "maxFormFields", "maxFormFieldSize",
    ]

    func decodeGatewayLimits(_ value: (String) -> ConfigNode?, into gateway: inout GatewaySettings, reader: inout ConfigReader) {
        if let size = reader.size(value("maxJSONBodySize"), at: "gateway.maxJSONBodySize") { gateway.maxJSONBodySize = size }
        if let size = reader.size(value("maxJSONPassThroughSize"), at: "gateway.maxJSONPassThroughSize") {
            gateway.maxJSONPassThroughSize = size
        }
        if let timeout = reader.duration(value("headerReadTimeout"), at: "gateway.headerReadTimeout") { gateway.headerReadTimeout = timeout }
        if let timeout = reader.duration(value("bodyIdleTimeout"), at: "gateway.bodyIdleTimeout") { gateway.bodyIdleTimeout = timeout }
        if let rate = reader.size(value("minBodyRate"), at: "gateway.minBodyRate") { gateway.minBodyRate = rate }
        if let grace = reader.duration(value("bodyRateGracePeriod"), at: "gateway.bodyRateGracePeriod", allowZero: true) {
            gateway.bodyRateGracePeriod = grace
        }
        if let count = reader.int(value("maxConnections"), at: "gateway.maxConnections", range: 1...1_000_000) { gateway.maxConnections = count }
        if let size = reader.size(value("maxHeaderBytes"), at: "gateway.maxHeaderBytes") {
            if size <= 1 << 20 {
                gateway.maxHeaderBytes = size
            } else {
                reader.error("gateway.maxHeaderBytes", "at most 1MiB", value("maxHeaderBytes"))
            }
        }
        if let count = reader.int(value("maxHeaderCount"), at: "gateway.maxHeaderCount", range: 1...10_000) { gateway.maxHeaderCount = count }
        if let count = reader.int(value("maxFormFields"), at: "gateway.maxFormFields", range: 2...10_000) { gateway.maxFormFields = count }
        if let size = reader.size(value("maxFormFieldSize"), at: "gateway.maxFormFieldSize") { gateway.maxFormFieldSize = size }
    }
}

extension GatewaySettings {
    /// The limit keys as `config dump` writes them (two-space indent, under `gateway:`).
    var limitsYAML: [String] {
        [
            "  maxJSONBodySize: \(ConfigScalars.format(size: maxJSONBodySize))",
            "  maxJSONPassThroughSize: \(ConfigScalars.format(size: maxJSONPassThroughSize))",
            "  headerReadTimeout: \(ConfigScalars.format(headerReadTimeout))",
            "  bodyIdleTimeout: \(ConfigScalars.format(bodyIdleTimeout))",
            "  minBodyRate: \(ConfigScalars.format(size: minBodyRate))",
            "  bodyRateGracePeriod: \(ConfigScalars.format(bodyRateGracePeriod))",
            "  maxConnections: \(maxConnections)",
            "  maxHeaderBytes: \(ConfigScalars.format(size: maxHeaderBytes))",
            "  maxHeaderCount: \(maxHeaderCount)",
            "  maxFormFields: \(maxFormFields)",
            "  maxFormFieldSize: \(ConfigScalars.format(size: maxFormFieldSize))",
        ]
    }
}

extension ConfigLoader {
    /// `backends.NAME.limits`: body size, and concurrency (kept apart from `breaker`, as Envoy does).
    func decodeBackendLimits(_ node: ConfigNode?, at path: String, into limits: inout BackendConfig.Limits, reader: inout ConfigReader) {
        let entries = reader.mapping(node, at: path, known: ["maxRequestBodySize", "maxInFlight", "queueTimeout"])
        let value = { (key: String) in entries.first { $0.key == key }?.value }
        limits.maxRequestBodySize = reader.size(value("maxRequestBodySize"), at: "\(path).maxRequestBodySize")
        limits.maxInFlight = reader.int(value("maxInFlight"), at: "\(path).maxInFlight", range: 1...1_000_000) ?? limits.maxInFlight
        limits.queueTimeout = reader.duration(value("queueTimeout"), at: "\(path).queueTimeout", allowZero: true) ?? limits.queueTimeout
    }
}
