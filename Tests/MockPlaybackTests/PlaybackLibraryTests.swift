import MockPlayback
import NIOHTTP1
import SynapseCore
import SynapseHAR
import SynapseMockKit
import Testing

@Suite struct PlaybackLibraryTests {
    @Test func synapseEntriesGoToTheirBackendAtTheUpstreamPathAndOthersThroughTheCallersMapping() throws {
        var recording = try RecordingBuilder()
        try recording.add(
            "POST", "http://gw:8000/stt/transcribe", body: .text("{}"), synapse: HARSynapseInfo(backend: "whisper-stt", upstreamPath: "/transcribe"))
        try recording.add("GET", "http://gw:8000/voices", body: .text("[]"), synapse: HARSynapseInfo(route: "/voices"))
        try recording.add("POST", "https://gw/speakers/diarize?x=1", body: .text("{}"))
        try recording.add("POST", "/tts/synthesize", body: .text("{}"))
        try recording.add("GET", "/aborted", status: 0, body: .none)
        let routing = PlaybackRouting { method, target in
            target.hasPrefix("/speakers/diarize") && method == "POST" ? .init(backend: "pyannote-speaker", target: "/diarize?x=1") : nil
        }
        let library = PlaybackLibrary(archive: try recording.archive(), routing: routing)
        #expect(library.backends == ["pyannote-speaker", "whisper-stt"])
        #expect(library.entries(for: "whisper-stt").map(\.label) == ["POST /transcribe"])
        let diarize = try #require(library.entries(for: "pyannote-speaker").first)
        #expect(diarize.label == "POST /diarize")
        #expect(diarize.query == ["x=1"])
        #expect(library.skipped.map(\.reason) == [.gatewayOwn, .unmapped, .noAnswer])
        #expect(library.skipped.map(\.source) == ["recording.har entry 1", "recording.har entry 3", "recording.har entry 4"])
    }

    @Test func anUnannotatedEntryIsServedAtTheMappedPath() async throws {
        var recording = try RecordingBuilder()
        try recording.add("POST", "http://gw:8000/audio/denoise", status: 200, mimeType: "audio/wav", body: .base64([1, 2, 3]))
        let routing = PlaybackRouting { _, target in target == "/audio/denoise" ? .init(backend: "deepfilter-audio", target: "/denoise") : nil }
        let library = PlaybackLibrary(archive: try recording.archive(), routing: routing)
        let server = PlaybackServer(
            name: "deepfilter-audio", backendType: "deepfilter", healthPath: "/health", entries: library.entries(for: "deepfilter-audio"),
            configuration: .init(bodyMatch: .ignore))
        try await withMockServer(server) { mock in
            let mapped = try await PlaybackHTTP.send(mock.url("/denoise"), method: .POST, body: "upload")
            #expect(mapped.body == [1, 2, 3])
            let asCalled = try await PlaybackHTTP.send(mock.url("/audio/denoise"), method: .POST)
            #expect(asCalled.status == 404)
        }
    }

    @Test func theGatewayTableMapsClientPathsToBackendPaths() {
        let routing = PlaybackRouting.gateway(
            rules: RouteRule.originalDefaults, forwards: [.init(method: "POST", path: "/stt/transcribe", backendPath: "/transcribe")],
            samePath: ["llama-router", "llama-embed"])
        #expect(routing.unannotated("POST", "/stt/transcribe?x=1") == .init(backend: "whisper-stt", target: "/transcribe?x=1"))
        #expect(routing.unannotated("POST", "/v1/chat/completions") == .init(backend: "llama-router", target: "/v1/chat/completions"))
        #expect(routing.unannotated("GET", "/models") == .init(backend: "llama-router", target: "/models"))
        // Routed, but neither forwarded at another path nor to a same-path backend.
        #expect(routing.unannotated("POST", "/tts/synthesize") == nil)
        #expect(routing.unannotated("POST", "/stt/other") == nil)
        #expect(routing.unannotated("GET", "/nowhere") == nil)
        #expect(PlaybackRouting.direct(to: "whisper-stt").unannotated("POST", "/stream") == .init(backend: "whisper-stt", target: "/stream"))
    }
}
