/// Span export, configured as every OpenTelemetry SDK is: by the standard `OTEL_*` variables.
///
/// | variable | meaning | default |
/// |---|---|---|
/// | `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` | the full URL spans are posted to | |
/// | `OTEL_EXPORTER_OTLP_ENDPOINT` | the collector's base URL; `/v1/traces` is appended | |
/// | `OTEL_EXPORTER_OTLP_(TRACES_)HEADERS` | `name=value,…` (percent-encoded) sent with each export | |
/// | `OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL` | `http/json` (what Synapse sends); `grpc` is refused | `http/json` |
/// | `OTEL_EXPORTER_OTLP_(TRACES_)TIMEOUT` | one export's limit, ms | 10000 |
/// | `OTEL_SERVICE_NAME` | the `service.name` resource attribute | `synapse` |
/// | `OTEL_BSP_SCHEDULE_DELAY` | ms between exports | 5000 |
/// | `OTEL_BSP_MAX_QUEUE_SIZE` | spans held; beyond it new spans are dropped (and counted) | 2048 |
/// | `OTEL_BSP_MAX_EXPORT_BATCH_SIZE` | spans per export; a full batch is sent at once | 512 |
/// | `OTEL_TRACES_EXPORTER` | `otlp`, or `none` to export nothing | `otlp` |
/// | `OTEL_SDK_DISABLED` | `true` exports nothing | |
///
/// With no endpoint nothing is recorded, but trace context is still propagated: every backend
/// call carries a `traceparent` (the client's trace, or one the gateway starts).
public struct TracingSettings: Sendable, Equatable {
    /// Where spans are posted as OTLP/HTTP JSON; nil records no spans.
    public var endpoint: String?
    public var headers: [String: String] = [:]
    public var serviceName = "synapse"
    public var scheduleDelay: Duration = .milliseconds(5000)
    public var maxQueueSize = 2048
    public var maxExportBatchSize = 512
    public var exportTimeout: Duration = .milliseconds(10000)

    public init(endpoint: String? = nil) {
        self.endpoint = endpoint
    }

    /// The settings the environment gives, and what is wrong with it (issues keyed by variable name).
    public static func from(environment env: [String: String]) -> (TracingSettings, [ConfigIssue]) {
        var settings = TracingSettings()
        var issues: [ConfigIssue] = []
        let value = { (name: String) -> String? in env[name].flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0.trimmingWhitespace() } }
        // The signal-specific variable wins over the general one, as the specification says.
        let pick = { (general: String, traces: String) -> (name: String, value: String)? in
            value(traces).map { (traces, $0) } ?? value(general).map { (general, $0) }
        }
        if let service = value("OTEL_SERVICE_NAME") { settings.serviceName = service }
        if let (name, headers) = pick("OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS") {
            for member in headers.split(separator: ",") {
                let parts = member.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, let key = percentDecoded(parts[0]), let text = percentDecoded(parts[1]), !key.isEmpty else {
                    issues.append(ConfigIssue(name, "'\(member)' is not name=value"))
                    continue
                }
                guard HTTPFieldName.isValid(key) else {
                    issues.append(ConfigIssue(name, "'\(key)' is not a header name"))
                    continue
                }
                settings.headers[key] = text
            }
        }
        if let (name, protocolName) = pick("OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") {
            switch protocolName {
            case "http/json": break
            case "http/protobuf":
                issues.append(ConfigIssue(name, "Synapse exports http/json; an OTLP/HTTP receiver accepts both on the same URL", severity: .warning))
            default:
                issues.append(
                    ConfigIssue(name, "'\(protocolName)' is not supported: Synapse exports OTLP/HTTP (http/json), to the collector's HTTP port (4318)"))
            }
        }
        for (general, traces, target) in [
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", \TracingSettings.exportTimeout),
            ("OTEL_BSP_SCHEDULE_DELAY", "OTEL_BSP_SCHEDULE_DELAY", \TracingSettings.scheduleDelay),
        ] {
            guard let (name, text) = pick(general, traces) else { continue }
            if let ms = Int(text), ms > 0 {
                settings[keyPath: target] = .milliseconds(ms)
            } else {
                issues.append(ConfigIssue(name, "'\(text)' is not a positive number of milliseconds"))
            }
        }
        for (name, target) in [
            ("OTEL_BSP_MAX_QUEUE_SIZE", \TracingSettings.maxQueueSize), ("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", \TracingSettings.maxExportBatchSize),
        ] {
            guard let text = value(name) else { continue }
            if let count = Int(text), count > 0 {
                settings[keyPath: target] = count
            } else {
                issues.append(ConfigIssue(name, "'\(text)' is not a positive number"))
            }
        }
        settings.maxExportBatchSize = min(settings.maxExportBatchSize, settings.maxQueueSize)
        if value("OTEL_SDK_DISABLED")?.lowercased() == "true" { return (settings, issues) }
        if let exporter = value("OTEL_TRACES_EXPORTER"), exporter != "otlp" {
            if exporter != "none" { issues.append(ConfigIssue("OTEL_TRACES_EXPORTER", "'\(exporter)' is not supported: use otlp or none")) }
            return (settings, issues)
        }
        if let url = value("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
            settings.endpoint = url
        } else if let base = value("OTEL_EXPORTER_OTLP_ENDPOINT") {
            settings.endpoint = (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/v1/traces"
        }
        if let endpoint = settings.endpoint, !(endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://")) {
            issues.append(ConfigIssue("OTEL_EXPORTER_OTLP_ENDPOINT", "'\(endpoint)' is not an http:// or https:// URL"))
            settings.endpoint = nil
        }
        return (settings, issues)
    }

    /// `%XX` escapes decoded (the headers variable is percent-encoded); nil when malformed.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(), let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(value)
        }
        return String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
    }
}
