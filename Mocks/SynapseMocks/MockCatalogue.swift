import MockChatterbox
import MockDeepFilter
import MockLlama
import MockPyannote
import MockWhisper
import SynapseMockKit

/// The six mock backends by name, in a fixed order, with what a `backends.yaml` says about each.
public enum MockCatalogue {
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
        /// Builds the mock on a clock.
        public let make: @Sendable (MockTime) -> any MockServer
    }

    /// Every backend, in catalogue order (which also fixes port offsets from a port base).
    public static let entries: [Entry] = [
        Entry(
            name: "llama-embed", type: "openai-compatible", health: "/health", routes: ["/v1/embeddings"],
            make: { LlamaEmbedMock(time: $0) }),
        Entry(
            name: "llama-router", type: "openai-compatible", health: "/health", routes: ["/v1/chat/completions", "/models/*"],
            make: { LlamaRouterMock(time: $0) }),
        Entry(
            name: "chatterbox-tts", type: "tts", health: "/api/ui/initial-data", routes: ["/tts/*"],
            make: { ChatterboxMock(time: $0) }),
        Entry(name: "whisper-stt", type: "stt", health: "/health", routes: ["/stt/*"], make: { WhisperMock(time: $0) }),
        Entry(name: "pyannote-speaker", type: "speaker", health: "/health", routes: ["/speakers/*"], make: { PyannoteMock(time: $0) }),
        Entry(name: "deepfilter-audio", type: "audio", health: "/health", routes: ["/audio/*"], make: { DeepFilterMock(time: $0) }),
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
