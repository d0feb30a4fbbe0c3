import MockChatterbox
import MockDeepFilter
import MockLlama
import MockPyannote
import MockWhisper
import SynapseMockKit

/// The mock backends by name, in a fixed order, with what a `backends.yaml` says about each. New
/// backends are appended: a mock's port is `--port-base` plus its position.
public enum MockCatalogue {
    /// How the mocks are configured.
    public enum Profile: String, Sendable, CaseIterable {
        /// Like the backends Synapse fronts in production: Qwen and mxbai models, 1024-dimension
        /// embeddings, ready at once, 2 s model loads.
        case synapse
        /// Like the servers the transcripts in `Fixtures/transcripts/` were captured from (tiny
        /// random-weight llama models, a 3 s start-up phase of the embedding server, a router whose
        /// loads take 1 s and whose children take 0.5 s to exit, whisper inference slow enough for
        /// a `: ping`), so `../shared/tools/conformance.py` can replay them without renames.
        case captured
    }

    /// Command-line tuning of the llama router on top of its profile (`--router-load-time`,
    /// `--router-models-max`); nil keeps the profile's value.
    public struct RouterOptions: Sendable, Equatable {
        /// How long a model load takes (mock time).
        public var loadTime: Duration?
        /// `--models-max` (0: no limit).
        public var modelsMax: Int?

        public init(loadTime: Duration? = nil, modelsMax: Int? = nil) {
            self.loadTime = loadTime
            self.modelsMax = modelsMax
        }
    }

    /// How to build the mocks: a profile plus the router's command-line tuning.
    public struct Options: Sendable {
        public var profile: Profile
        public var router: RouterOptions

        public init(profile: Profile = .synapse, router: RouterOptions = .init()) {
            self.profile = profile
            self.router = router
        }
    }

    /// One backend of the catalogue.
    public struct Entry: Sendable {
        /// The backend's name in `backends.yaml` and the control API.
        public let name: String
        /// The `type` written into `backends.yaml` (the original file's vocabulary).
        public let type: String
        /// The health path written into `backends.yaml`.
        public let health: String
        /// Gateway routes served by this backend, as in the original `backends.yaml`.
        public let routes: [String]
        /// Builds the mock on a clock, configured by the options.
        public let make: @Sendable (MockTime, Options) -> any MockServer
    }

    /// Every backend, in catalogue order (which also fixes port offsets from a port base).
    public static let entries: [Entry] = [
        Entry(
            name: "llama-embed", type: "openai-compatible", health: "/health", routes: ["/v1/embeddings"],
            make: { time, options in
                guard options.profile == .captured else { return LlamaEmbedMock(time: time) }
                var configuration = LlamaEmbedMock.Configuration.transcripts
                configuration.startupTime = .seconds(3)
                return LlamaEmbedMock(configuration: configuration, time: time)
            }),
        Entry(
            name: "llama-router", type: "openai-compatible", health: "/health", routes: ["/v1/chat/completions", "/models/*"],
            make: { time, options in
                var configuration = LlamaRouterMock.Configuration()
                if options.profile == .captured {
                    configuration = .transcripts
                    configuration.loadTime = .milliseconds(180)
                    configuration.stopTime = .milliseconds(500)
                }
                if let loadTime = options.router.loadTime { configuration.loadTime = loadTime }
                if let modelsMax = options.router.modelsMax { configuration.modelsMax = modelsMax }
                return LlamaRouterMock(configuration: configuration, time: time)
            }),
        Entry(
            name: "chatterbox-tts", type: "chatterbox", health: "/api/ui/initial-data", routes: ["/tts/*"],
            make: { time, _ in ChatterboxMock(time: time) }),
        Entry(
            name: "whisper-stt", type: "faster-whisper", health: "/health", routes: ["/stt/*"],
            make: { time, options in
                guard options.profile == .captured else { return WhisperMock(time: time) }
                // The capture's stand-in took 8 s per audio second and pinged every 15 s; the same
                // ratio, 20 times faster, keeps its ping in a 2 s file's stream without the wait.
                return WhisperMock(configuration: .init(processingTime: .milliseconds(400), pingInterval: .milliseconds(750)), time: time)
            }),
        Entry(
            name: "pyannote-speaker", type: "pyannote", health: "/health", routes: ["/speakers/*"],
            make: { time, _ in PyannoteMock(time: time) }),
        Entry(
            name: "deepfilter-audio", type: "deepfilter", health: "/health", routes: ["/audio/*"],
            make: { time, _ in DeepFilterMock(time: time) }),
    ]

    /// Backend names in catalogue order.
    public static var names: [String] { entries.map(\.name) }

    /// The entry for a name, if there is one.
    public static func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }

    /// Entries for `names` (all when nil), in catalogue order; throws for an unknown name.
    public static func entries(named names: [String]?) throws(MockError) -> [Entry] {
        guard let names else { return entries }
        for name in names where entry(named: name) == nil { throw MockError.unknownMock(name) }
        return entries.filter { names.contains($0.name) }
    }
}
