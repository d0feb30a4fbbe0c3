import Foundation
import SynapseCore
import SynapseTestSupport
import Testing

/// The original gateway's 21 `SYNAPSE_*` variables, each honoured with its default.
@Suite struct OriginalVariablesTests {
    static let yaml = "backends:\n  llama-router:\n    url: http://router:8082\n"

    @Test func everyOriginalVariableHasTheOriginalsDefault() throws {
        let config = try #require(ConfigLoader(environment: [:]).load(yaml: Self.yaml).config)
        #expect(config.gateway.voiceLibraryDir == "/data/voices")
        #expect(config.gateway.logLevel == "info")
        #expect(config.gateway.instanceID == "synapse-gateway")
        #expect(config.models.profilesPath == "/data/voices/model-profiles.json")
        #expect(config.models.runtime.namespace == "llm-infra")
        #expect(config.models.runtime.deployment == "llama-router")
        #expect(config.models.runtime.container == "llama-server")
        #expect(config.models.runtime.reconfigureTimeout == .seconds(300))
        #expect(config.models.runtime.kubernetesAPI == "https://kubernetes.default.svc")
        let feed = config.terminalFeed
        #expect(!feed.isLive)
        #expect(feed.mode == "mock")
        #expect([feed.bufferSize, feed.subscriberQueueSize, feed.backlogLines, feed.maxLineChars] as [Int] == [500, 200, 80, 1200])
        #expect(feed.keepalive == .seconds(15))
        #expect(feed.defaultLevel == "INFO")
        #expect(feed.redactExtraPatterns == "")
        #expect(feed.busMode == "local")
        #expect(feed.redisURL == "")
        #expect(feed.redisChannel == "synapse:terminal_feed")
        #expect(feed.redisConnectTimeout == .seconds(5))
        #expect(config.models.generalModel == "Qwen3-8B-Q4_K_M")
        #expect(config.models.coderModel == "Qwen2.5-Coder-7B-Instruct-Q4_K_M")
        #expect(config.models.loadTimeout == .seconds(240))
    }

    @Test func everyOriginalVariableIsHonoured() throws {
        let environment = [
            "SYNAPSE_VOICE_LIBRARY_DIR": "/v",
            "SYNAPSE_MODEL_PROFILES_PATH": "/v/profiles.json",
            "SYNAPSE_LLAMA_ROUTER_DEPLOYMENT_NAMESPACE": "ns",
            "SYNAPSE_LLAMA_ROUTER_DEPLOYMENT_NAME": "router-dep",
            "SYNAPSE_LLAMA_ROUTER_CONTAINER_NAME": "server",
            "SYNAPSE_RUNTIME_RECONFIGURE_TIMEOUT_SECONDS": "12.5",
            "SYNAPSE_LOG_LEVEL": "WARNING",
            "SYNAPSE_TERMINAL_FEED_MODE": "live",
            "SYNAPSE_TERMINAL_FEED_BUFFER_SIZE": "800",
            "SYNAPSE_TERMINAL_FEED_SUBSCRIBER_QUEUE_SIZE": "300",
            "SYNAPSE_TERMINAL_FEED_BACKLOG_LINES": "100",
            "SYNAPSE_TERMINAL_FEED_KEEPALIVE_SECONDS": "7",
            "SYNAPSE_TERMINAL_FEED_MAX_LINE_CHARS": "400",
            "SYNAPSE_TERMINAL_FEED_DEFAULT_LEVEL": "warning",
            "SYNAPSE_TERMINAL_FEED_REDACT_EXTRA_PATTERNS": "sk-[a-z]+||x{2}",
            "SYNAPSE_TERMINAL_FEED_BUS_MODE": "redis",
            "SYNAPSE_TERMINAL_FEED_REDIS_URL": "redis://bus:6379/0",
            "SYNAPSE_TERMINAL_FEED_REDIS_CHANNEL": "chan",
            "SYNAPSE_TERMINAL_FEED_REDIS_CONNECT_TIMEOUT_SECONDS": "2",
            "SYNAPSE_INSTANCE_ID": "pod-1",
            "HOSTNAME": "host-1",
            "KUBERNETES_SERVICE_HOST": "10.0.0.1",
            "KUBERNETES_SERVICE_PORT_HTTPS": "6443",
        ]
        let outcome = ConfigLoader(environment: environment).load(yaml: Self.yaml)
        #expect(outcome.errors.isEmpty, "\(outcome.issues)")
        #expect(outcome.warnings.map(\.keyPath) == ["terminalFeed.busMode"])
        let config = try #require(outcome.config)
        #expect(config.gateway.voiceLibraryDir == "/v")
        #expect(config.gateway.logLevel == "warning")
        #expect(config.gateway.instanceID == "pod-1")
        #expect(config.models.profilesPath == "/v/profiles.json")
        #expect(config.models.runtime.namespace == "ns")
        #expect(config.models.runtime.deployment == "router-dep")
        #expect(config.models.runtime.container == "server")
        #expect(config.models.runtime.reconfigureTimeout == .milliseconds(12_500))
        #expect(config.models.runtime.kubernetesAPI == "https://10.0.0.1:6443")
        let feed = config.terminalFeed
        #expect(feed.isLive)
        #expect([feed.bufferSize, feed.subscriberQueueSize, feed.backlogLines, feed.maxLineChars] as [Int] == [800, 300, 100, 400])
        #expect(feed.keepalive == .seconds(7))
        #expect(feed.defaultLevel == "warning")
        #expect(feed.redactExtraPatterns == "sk-[a-z]+||x{2}")
        #expect(feed.busMode == "redis")
        #expect(feed.redisURL == "redis://bus:6379/0")
        #expect(feed.redisChannel == "chan")
        #expect(feed.redisConnectTimeout == .seconds(2))
        // The config path is read by the command line; it must not be reported as unknown.
        let withPath = ConfigLoader(environment: ["SYNAPSE_GATEWAY_CONFIG_PATH": "/x.yaml"]).load(yaml: Self.yaml)
        #expect(withPath.issues.isEmpty)
    }

    @Test func instanceDefaultsToTheHostName() throws {
        let config = try #require(ConfigLoader(environment: ["HOSTNAME": "gateway-7f9"]).load(yaml: Self.yaml).config)
        #expect(config.gateway.instanceID == "gateway-7f9")
    }

    @Test func acronymsStayWholeInGeneratedNames() {
        #expect(EnvironmentOverrides.variableName(for: ["gateway", "instanceID"]) == "SYNAPSE_GATEWAY_INSTANCE_ID")
        #expect(EnvironmentOverrides.variableName(for: ["terminalFeed", "redisURL"]) == "SYNAPSE_TERMINAL_FEED_REDIS_URL")
        #expect(
            EnvironmentOverrides.variableName(for: ["backends", "llama-router", "breaker", "openFor"])
                == "SYNAPSE_BACKENDS_LLAMA_ROUTER_BREAKER_OPEN_FOR")
    }

    @Test func modelSettingsComeFromTheModelsSection() throws {
        let yaml =
            Self.yaml + """
                models:
                  generalModel: general-a
                  coderModel: coder-b
                  codingHints: '\\bswift\\b'
                  loadTimeout: 90s
                  pollInterval: 250ms
                  maxLoaded: 2
                """
        let outcome = ConfigLoader().load(yaml: yaml)
        #expect(outcome.issues.isEmpty, "\(outcome.issues)")
        let models = try #require(outcome.config).models
        #expect(models.generalModel == "general-a")
        #expect(models.coderModel == "coder-b")
        #expect(models.codingHints == #"\bswift\b"#)
        #expect(models.loadTimeout == .seconds(90))
        #expect(models.pollInterval == .milliseconds(250))
        #expect(models.maxLoaded == 2)
        let bad = ConfigLoader().load(yaml: Self.yaml + "models:\n  codingHints: '(unclosed'\n")
        #expect(bad.errors.map(\.keyPath) == ["models.codingHints"])
    }
}
