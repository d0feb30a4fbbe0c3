import MockPlayback
import NIOHTTP1
import SynapseHAR
import SynapseMockKit
import SynapseMocks
import SynapseTestSupport
import Testing

/// Playback servers in a `MockCluster`, as `synapse mocks --playback` runs them.
@Suite struct PlaybackClusterTests {
    @Test func aReplacedMockPlaysBackAndTheControlAPIInjectsFaultsIntoIt() async throws {
        var recording = try RecordingBuilder()
        try recording.add(
            "POST", "http://gw/v1/embeddings", requestBody: #"{"input":"a"}"#, body: .text(#"{"recorded":true}"#),
            synapse: HARSynapseInfo(backend: "llama-embed", upstreamPath: "/v1/embeddings"))
        let library = PlaybackLibrary(archive: try recording.archive(), routing: PlaybackRouting())
        let entries = library.entries(for: "llama-embed")
        let configuration = MockCluster.Configuration(
            only: ["llama-embed", "whisper-stt"],
            replacements: [
                "llama-embed": { time in
                    PlaybackServer(name: "llama-embed", backendType: "openai-compatible", healthPath: "/health", entries: entries, time: time)
                }
            ])
        try await withMockCluster(configuration) { endpoints in
            let embed = try #require(endpoints.mock(named: "llama-embed"))
            let played = try await PlaybackHTTP.send(embed.url("/v1/embeddings"), method: .POST, body: #"{"input":"a"}"#)
            #expect(played.text == #"{"recorded":true}"#)
            let injected = try await PlaybackHTTP.send(
                endpoints.controlURL + "/mocks/llama-embed/faults", method: .POST, body: #"{"kind":"status","status":503,"times":1}"#)
            #expect(injected.status == 201)
            let faulted = try await PlaybackHTTP.send(embed.url("/v1/embeddings"), method: .POST, body: #"{"input":"a"}"#)
            #expect(faulted.status == 503)
            // The other mock is the catalogue's own.
            let whisper = try #require(endpoints.mock(named: "whisper-stt"))
            #expect(!(whisper.host.mock is PlaybackServer))
            #expect(embed.host.mock is PlaybackServer)
        }
    }
}
