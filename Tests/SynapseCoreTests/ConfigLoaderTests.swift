import Foundation
import SynapseCore
import SynapseTestSupport
import Testing

@Suite struct ConfigLoaderTests {
    @Test func originalBackendsYAMLLoadsUnchanged() throws {
        let outcome = ConfigLoader().load(path: Fixture.url("config/original-backends.yaml").path)
        #expect(outcome.issues.isEmpty)
        let config = try #require(outcome.config)
        #expect(config.backends.map(\.id.rawValue) == ["llama-embed", "llama-router", "chatterbox-tts", "whisper-stt", "pyannote-speaker", "deepfilter-audio"])
        let tts = try #require(config.backend(BackendID("chatterbox-tts")!))
        #expect(tts.url.host == "chatterbox-tts.llm-infra.svc.cluster.local")
        #expect(tts.url.port == 8004)
        #expect(tts.type == "chatterbox")
        #expect(tts.health == "/api/ui/initial-data")
        #expect(tts.breaker.failureThreshold == 5)
        #expect(tts.breaker.openFor == .seconds(30))
        #expect(tts.retry.delays == [.milliseconds(500), .seconds(1), .seconds(2)])
        #expect(config.routedBackend(forPath: "/tts/synthesize")?.backend.rawValue == "chatterbox-tts")
        #expect(config.routedBackend(forPath: "/v1/embeddings")?.backend.rawValue == "llama-embed")
        #expect(config.routedBackend(forPath: "/v1/chat/completions")?.backend.rawValue == "llama-router")
        #expect(config.routedBackend(forPath: "/models/load")?.backend.rawValue == "llama-router")
        #expect(
            config.routes.map(\.pattern) == [
                "/v1/embeddings", "/v1/chat/completions", "/models", "/models/load", "/models/unload", "/v1/models",
                "/tts/*", "/stt/*", "/speakers/*", "/audio/*",
            ])
        #expect(config.gateway.port == 8000)
    }

    @Test func exampleConfigLoadsAndDumpReadsBack() throws {
        let outcome = ConfigLoader().load(path: Fixture.url("config/example.yaml").path)
        #expect(outcome.issues.isEmpty, "\(outcome.issues)")
        let config = try #require(outcome.config)
        #expect(config.routedBackend(forPath: "/audio/convert")?.timeoutProfile == .audio)
        let reloaded = ConfigLoader().load(yaml: config.effectiveYAML(redactingSecrets: false))
        #expect(reloaded.issues.isEmpty, "\(reloaded.issues)")
        #expect(reloaded.config == config)
    }

    @Test func everyProblemIsReportedAtOnceWithKeyPathsAndLines() {
        let yaml = """
            gateway:
              port: 99999
              colour: blue
            backends:
              llama-embed:
                url: not a url
                type: openai-compatible
              whisper-stt:
                url: http://whisper:8000
                breaker: {openFor: soon, failureThreshold: 0}
                limits: {maxRequestBodySize: huge}
            routes:
              /v1/embeddings: llama-embed
              /stt/*: whisper-missing
            """
        let outcome = ConfigLoader().load(yaml: yaml)
        #expect(outcome.config == nil)
        let byPath = Dictionary(grouping: outcome.errors, by: \.keyPath)
        #expect(byPath["gateway.port"]?.first?.line == 2)
        #expect(byPath["gateway.colour"]?.first?.message.hasPrefix("unknown key") == true)
        #expect(byPath["gateway.colour"]?.first?.line == 3)
        #expect(byPath["backends.llama-embed.url"]?.first?.message.contains("malformed URL") == true)
        #expect(byPath["backends.whisper-stt.breaker.openFor"]?.first?.message.contains("bad duration") == true)
        #expect(byPath["backends.whisper-stt.breaker.failureThreshold"] != nil)
        #expect(byPath["backends.whisper-stt.limits.maxRequestBodySize"]?.first?.message.contains("bad size") == true)
        #expect(byPath["routes./stt/*"]?.first?.message.contains("unknown backend 'whisper-missing'") == true)
        #expect(byPath["routes./stt/*"]?.first?.line == 14)
        #expect(outcome.errors.count >= 7)
    }

    @Test func yamlSyntaxErrorGivesTheLine() {
        let outcome = ConfigLoader().load(yaml: "backends:\n  a: {url: http://x\n  b: [\n")
        #expect(outcome.config == nil)
        #expect(outcome.errors.count == 1)
        #expect(outcome.errors.first?.message.hasPrefix("YAML syntax error") == true)
        #expect(outcome.errors.first?.line != nil)
    }

    @Test func environmentOverridesKnownKeysAndWarnsAboutOthers() throws {
        let yaml = "backends:\n  llama-router:\n    url: http://router:8082\n"
        let environment = [
            "SYNAPSE_BACKENDS_LLAMA_ROUTER_URL": "http://other:9000",
            "SYNAPSE_BACKENDS_LLAMA_ROUTER_BREAKER_OPEN_FOR": "45s",
            "SYNAPSE_BACKENDS_LLAMA_ROUTER_RETRY_DELAYS": "100ms,200ms",
            "SYNAPSE_VOICE_LIBRARY_DIR": "/tmp/voices",
            "SYNAPSE_LOG_LEVEL": "debug",
            "SYNAPSE_GATEWAY_PORT": "9001",
            "SYNAPSE_GATEWAY_CONFIG_PATH": "/config/backends.yaml",
            "SYNAPSE_GATEWAY_PROT": "1",
            "HOME": "/root",
        ]
        let outcome = ConfigLoader(environment: environment).load(yaml: yaml)
        let config = try #require(outcome.config)
        let router = try #require(config.backend(BackendID("llama-router")!))
        #expect(router.url.host == "other")
        #expect(router.url.port == 9000)
        #expect(router.breaker.openFor == .seconds(45))
        #expect(router.retry.delays == [.milliseconds(100), .milliseconds(200)])
        #expect(config.gateway.voiceLibraryDir == "/tmp/voices")
        #expect(config.gateway.logLevel == "debug")
        #expect(config.gateway.port == 9001)
        #expect(outcome.warnings.map(\.message) == ["environment variable SYNAPSE_GATEWAY_PROT matches no configuration key; ignored"])
    }

    @Test func badEnvironmentValueIsAnErrorAtItsKeyPath() {
        let outcome = ConfigLoader(environment: ["SYNAPSE_GATEWAY_PORT": "eighty"]).load(yaml: "backends:\n  a:\n    url: http://a\n")
        #expect(outcome.config == nil)
        #expect(outcome.errors.first?.keyPath == "gateway.port")
    }

    @Test func dumpRedactsSecrets() throws {
        let yaml = "gateway: {adminToken: s3cret}\nbackends:\n  a:\n    url: http://user:pass@a:1/base/\n"
        let config = try #require(ConfigLoader().load(yaml: yaml).config)
        let dump = config.effectiveYAML()
        #expect(!dump.contains("s3cret"))
        #expect(!dump.contains("pass"))
        #expect(dump.contains("http://user:***@a:1/base"))
    }

    @Test(arguments: [("500ms", 500), ("30s", 30_000), ("1.5s", 1500), ("5m", 300_000), ("2", 2000)])
    func durationsParse(text: String, milliseconds: Int) {
        #expect(ConfigScalars.duration(text) == .milliseconds(milliseconds))
    }

    @Test func badScalarsAreRejected() {
        #expect(ConfigScalars.duration("-1s") == nil)
        #expect(ConfigScalars.duration("soon") == nil)
        #expect(ConfigScalars.size("10MiB") == 10 << 20)
        #expect(ConfigScalars.size("1GB") == 1_000_000_000)
        #expect(ConfigScalars.size("lots") == nil)
        #expect(BackendURL.parse("ftp://x") == nil)
        #expect(BackendURL.parse("http://:80") == nil)
        #expect(BackendURL.parse("http://h:99999") == nil)
        #expect(BackendURL.parse("http://[::1]:8080")?.host == "::1")
    }
}

@Suite struct ServingRuleTests {
    @Test func aConfigWithoutRoutesServesPathsByTheOriginalTable() {
        let config = SynapseConfig()
        #expect(config.servingRule(forPath: "/tts/synthesize")?.backend.rawValue == "chatterbox-tts")
        #expect(config.servingRule(forPath: "/models/unload")?.backend.rawValue == "llama-router")
        #expect(config.servingRule(forPath: "/stt/transcribe")?.backend.rawValue == "whisper-stt")
        #expect(config.servingRule(forPath: "/nowhere") == nil)
    }

    @Test func theConfigsOwnRuleWinsOverTheOriginalTable() throws {
        var config = SynapseConfig()
        config.routes = [RouteRule(pattern: "/tts/*", backend: try #require(BackendID("tts-two")))]
        #expect(config.servingRule(forPath: "/tts/stream")?.backend.rawValue == "tts-two")
        #expect(config.servingRule(forPath: "/audio/convert")?.backend.rawValue == "deepfilter-audio")
    }
}
