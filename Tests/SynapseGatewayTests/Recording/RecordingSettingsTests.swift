import SynapseCore
import Testing

/// `gateway.recording` in backends.yaml: read, validated key by key, dumped back.
@Suite struct RecordingSettingsTests {
    static let yaml = """
        backends: { llama-embed: { url: http://127.0.0.1:9, type: openai-compatible } }
        gateway:
          recording: { directory: /tmp/rec, sampleRate: 0.25, routes: [/v1/, "/voices/{voice_id}"], redactHeaders: [X-Vendor-Key], maxEntriesPerFile: 50, maxFileSize: 8MiB, bufferSize: 1MiB }
        """

    @Test func theRecordingSectionIsRead() throws {
        let outcome = ConfigLoader(environment: [:]).load(yaml: Self.yaml)
        let recording = try #require(outcome.config?.gateway.recording)
        #expect(recording.directory == "/tmp/rec" && recording.sampleRate == 0.25)
        #expect(recording.routes == ["/v1/", "/voices/{voice_id}"] && recording.redactHeaders == ["X-Vendor-Key"])
        #expect(recording.maxEntriesPerFile == 50 && recording.maxFileSize == 8 << 20 && recording.bufferSize == 1 << 20)
        #expect(recording.admits(path: "/v1/embeddings", route: "/v1/embeddings"))
        #expect(recording.admits(path: "/voices/abc", route: "/voices/{voice_id}"))
        #expect(!recording.admits(path: "/voices", route: "/voices"))
    }

    @Test func operatorAndProbeTrafficIsNeverRecorded() {
        let everything = RecordingSettings(directory: "/tmp/rec")
        #expect(everything.admits(path: "/health", route: "/health") && everything.admits(path: "/tts/synthesize", route: "/tts/synthesize"))
        for path in ["/admin/recording", "/admin/breakers/llama-embed/reset", "/metrics", "/healthz", "/readyz", "/events", "/events/terminal"] {
            #expect(!everything.admits(path: path, route: path), "\(path)")
        }
        var admin = everything
        admin.routes = ["/admin/"]
        #expect(!admin.admits(path: "/admin/recording", route: "/admin/recording"))
    }

    @Test func everyBadKeyIsReportedWithItsPath() {
        let yaml = """
            backends: { llama-embed: { url: http://127.0.0.1:9, type: openai-compatible } }
            gateway:
              recording: { sampleRate: 2, routes: [v1], colour: red }
            """
        let outcome = ConfigLoader(environment: [:]).load(yaml: yaml)
        let paths = Set(outcome.errors.map(\.keyPath))
        #expect(outcome.config == nil)
        #expect(paths.contains("gateway.recording.directory"))
        #expect(paths.contains("gateway.recording.colour"))
    }

    @Test func theEffectiveConfigurationReadsBackTheSame() throws {
        let config = try #require(ConfigLoader(environment: [:]).load(yaml: Self.yaml).config)
        let again = ConfigLoader(environment: [:]).load(yaml: config.effectiveYAML(redactingSecrets: false))
        #expect(again.config?.gateway.recording == config.gateway.recording)
    }

    @Test func anEnvironmentVariableSetsAKey() throws {
        let outcome = ConfigLoader(environment: ["SYNAPSE_GATEWAY_RECORDING_SAMPLE_RATE": "0.5"]).load(yaml: Self.yaml)
        #expect(outcome.config?.gateway.recording?.sampleRate == 0.5)
    }
}
