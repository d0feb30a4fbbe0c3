import SynapseCore
import Testing

/// `gateway.drainWindow` and `gateway.shutdownGracePeriod`: defaults, file, environment, dump.
@Suite struct ShutdownConfigTests {
    static let backends = """
        backends:
          llama-embed: {url: http://127.0.0.1:8081, type: openai-compatible}
        routes:
          /v1/embeddings: llama-embed
        """

    @Test func theDrainWindowIs5sAndTheGraceDefaultsToTheLongestDeadline() throws {
        let config = try #require(ConfigLoader(environment: [:]).load(yaml: Self.backends).config)
        #expect(config.gateway.drainWindow == .seconds(5))
        #expect(config.gateway.shutdownGracePeriod == nil)
        #expect(config.effectiveShutdownGracePeriod == .seconds(600))

        var longer = config
        longer.backends[0].timeouts.total = .seconds(900)
        #expect(longer.effectiveShutdownGracePeriod == .seconds(900))
        longer.timeoutProfiles[.stt] = .seconds(1200)
        #expect(longer.effectiveShutdownGracePeriod == .seconds(1200))
    }

    @Test func bothKeysComeFromTheFileOrTheEnvironmentAndAZeroDrainIsAllowed() throws {
        let file = "gateway: {drainWindow: 0s, shutdownGracePeriod: 45s}\n" + Self.backends
        let fromFile = try #require(ConfigLoader(environment: [:]).load(yaml: file).config)
        #expect(fromFile.gateway.drainWindow == .zero)
        #expect(fromFile.effectiveShutdownGracePeriod == .seconds(45))

        let environment = ["SYNAPSE_GATEWAY_DRAIN_WINDOW": "2s", "SYNAPSE_GATEWAY_SHUTDOWN_GRACE_PERIOD": "90s"]
        let outcome = ConfigLoader(environment: environment).load(yaml: Self.backends)
        #expect(outcome.issues.isEmpty, "\(outcome.issues)")
        #expect(outcome.config?.gateway.drainWindow == .seconds(2))
        #expect(outcome.config?.gateway.shutdownGracePeriod == .seconds(90))

        let bad = ConfigLoader(environment: [:]).load(yaml: "gateway: {drainWindow: soon}\n" + Self.backends)
        #expect(bad.errors.map(\.keyPath) == ["gateway.drainWindow"])
    }

    @Test func theDumpShowsTheDrainWindowAndAnUnsetGraceAsACommentAndReadsBack() throws {
        let config = try #require(ConfigLoader(environment: [:]).load(yaml: Self.backends).config)
        let dump = config.effectiveYAML()
        #expect(dump.contains("  drainWindow: 5s"))
        #expect(dump.contains("  # shutdownGracePeriod: unset, so the longest deadline: 600s"))
        #expect(!dump.contains("\n  shutdownGracePeriod"))
        #expect(ConfigLoader(environment: [:]).load(yaml: dump).config == config)

        var explicit = config
        explicit.gateway.shutdownGracePeriod = .seconds(45)
        #expect(explicit.effectiveYAML().contains("  shutdownGracePeriod: 45s"))
        #expect(ConfigLoader(environment: [:]).load(yaml: explicit.effectiveYAML()).config == explicit)
    }
}
