import SynapseCore
import Testing

/// The standard `OTEL_*` variables, read as the OpenTelemetry specification describes them.
@Suite struct TracingSettingsTests {
    @Test func theBaseEndpointGetsTheTracesPathAndTheSignalSpecificOneWins() {
        #expect(TracingSettings.from(environment: [:]).0.endpoint == nil)
        let base = TracingSettings.from(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/"]).0
        #expect(base.endpoint == "http://collector:4318/v1/traces")
        let specific = TracingSettings.from(environment: [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://other:443/custom",
        ]).0
        #expect(specific.endpoint == "https://other:443/custom")
    }

    @Test func serviceNameHeadersAndBatchingAreRead() {
        let (settings, issues) = TracingSettings.from(environment: [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_SERVICE_NAME": "gateway-eu",
            "OTEL_EXPORTER_OTLP_HEADERS": "api-key=s%3Dcret,x-tenant = acme ", "OTEL_BSP_SCHEDULE_DELAY": "250",
            "OTEL_BSP_MAX_QUEUE_SIZE": "100", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "500", "OTEL_EXPORTER_OTLP_TIMEOUT": "2000",
        ])
        #expect(issues.isEmpty)
        #expect(settings.serviceName == "gateway-eu")
        #expect(settings.headers == ["api-key": "s=cret", "x-tenant": "acme"])
        #expect(settings.scheduleDelay == .milliseconds(250) && settings.exportTimeout == .seconds(2))
        // A batch is never larger than the queue.
        #expect(settings.maxQueueSize == 100 && settings.maxExportBatchSize == 100)
    }

    @Test func turnedOffOrMisconfiguredExportsNothingAndSaysWhy() {
        let url = ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"]
        #expect(TracingSettings.from(environment: url.merging(["OTEL_SDK_DISABLED": "true"]) { $1 }).0.endpoint == nil)
        #expect(TracingSettings.from(environment: url.merging(["OTEL_TRACES_EXPORTER": "none"]) { $1 }).0.endpoint == nil)
        let zipkin = TracingSettings.from(environment: url.merging(["OTEL_TRACES_EXPORTER": "zipkin"]) { $1 })
        #expect(zipkin.0.endpoint == nil && zipkin.1.map(\.keyPath) == ["OTEL_TRACES_EXPORTER"])
        let grpc = TracingSettings.from(environment: url.merging(["OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"]) { $1 }).1
        #expect(grpc.count == 1 && grpc[0].severity == .error && grpc[0].message.contains("4318"))
        let protobuf = TracingSettings.from(environment: url.merging(["OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"]) { $1 }).1
        #expect(protobuf.count == 1 && protobuf[0].severity == .warning)
        let notURL = TracingSettings.from(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"])
        #expect(notURL.0.endpoint == nil && notURL.1.first?.keyPath == "OTEL_EXPORTER_OTLP_ENDPOINT")
        #expect(TracingSettings.from(environment: ["OTEL_BSP_SCHEDULE_DELAY": "soon"]).1.first?.keyPath == "OTEL_BSP_SCHEDULE_DELAY")
        #expect(TracingSettings.from(environment: ["OTEL_EXPORTER_OTLP_HEADERS": "novalue"]).1.first?.keyPath == "OTEL_EXPORTER_OTLP_HEADERS")
    }

    /// A percent-decoded name outside ASCII (which NIO's headers trap on) or with a space is
    /// refused by name; the other headers are kept.
    @Test func headerNamesMustBeTokens() {
        let (settings, issues) = TracingSettings.from(environment: ["OTEL_EXPORTER_OTLP_HEADERS": "k%C3%A9y=v,a%20b=c,ok=1"])
        #expect(settings.headers == ["ok": "1"])
        #expect(issues.map(\.message) == ["'kéy' is not a header name", "'a b' is not a header name"])
        #expect(issues.allSatisfy { $0.keyPath == "OTEL_EXPORTER_OTLP_HEADERS" && $0.severity == .error })
    }
}
