import Foundation
import SynapseMockKit
import SynapseMocks
import SynapseTestSupport
import Testing

@Suite struct MockClusterTests {
    @Test func startsTheChosenMocksAndRendersBackendsYAML() async throws {
        try await withMockCluster(.init(only: ["whisper-stt", "llama-embed"]), time: .scaled(by: 0.001)) { endpoints in
            #expect(endpoints.mocks.map(\.name) == ["llama-embed", "whisper-stt"])
            for mock in endpoints.mocks {
                let health = MockCatalogue.entry(named: mock.name)!.health
                // Answers at all (a mock may still be "loading"), from the mock's own port.
                let reply = try await HTTP.send(mock.url(health))
                #expect(reply.status < 500 || reply.status == 503)
            }
            let listed = try await HTTP.send(endpoints.controlURL + "/mocks")
            #expect(listed.status == 200)
            #expect(listed.text.contains("whisper-stt"))
        }
    }

    @Test func backendsYAMLHasTheOriginalShape() async throws {
        let cluster = try MockCluster(configuration: .init(only: ["llama-embed", "chatterbox-tts"]), time: .scaled(by: 0.001))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await cluster.run() }
            defer { group.cancelAll() }
            let endpoints = try await cluster.endpoints()
            let embed = try #require(endpoints.mock(named: "llama-embed"))
            let tts = try #require(endpoints.mock(named: "chatterbox-tts"))
            let yaml = try await cluster.backendsYAML()
            #expect(
                yaml == """
                    backends:
                      llama-embed: {url: \(embed.baseURL), type: openai-compatible, health: /health}
                      chatterbox-tts: {url: \(tts.baseURL), type: chatterbox, health: /api/ui/initial-data}
                    routes:
                      /v1/embeddings: llama-embed
                      /tts/*: chatterbox-tts

                    """)
        }
    }

    @Test func capturedProfileConfiguresTheMocksLikeTheCapturedServers() async throws {
        let configuration = MockCluster.Configuration(only: ["llama-embed", "llama-router"], profile: .captured)
        // A clock that never moves keeps the embedding server in its start-up phase however slowly
        // the machine runs.
        let frozen = MockTime(sleep: { _ in try Task.checkCancellation() }, now: { Date(timeIntervalSince1970: 1_795_734_717) })
        try await withMockCluster(configuration, time: frozen) { endpoints in
            let embed = try #require(endpoints.mock(named: "llama-embed"))
            let router = try #require(endpoints.mock(named: "llama-router"))
            // The captured embedding server was still loading its model for a moment after start.
            #expect(try await HTTP.send(embed.url("/health")).status == 503)
            let models = try await HTTP.send(router.url("/v1/models")).text
            #expect(models.contains(#""id":"tiny-chat-a""#) && models.contains(#""id":"tiny-chat-b""#))
        }
        try await withMockCluster(.init(only: ["llama-router"])) { endpoints in
            let models = try await HTTP.send(try #require(endpoints.mock(named: "llama-router")).url("/v1/models")).text
            #expect(models.contains(#""id":"Qwen3-8B-Q4_K_M""#))
        }
    }

    @Test func unknownMockNamesAreRejected() {
        #expect(throws: MockError.unknownMock("nope")) { try MockCluster(configuration: .init(only: ["nope"])) }
    }

    @Test func theCatalogueHasTheSixBackendsInOrder() {
        #expect(
            MockCatalogue.names == ["llama-embed", "llama-router", "chatterbox-tts", "whisper-stt", "pyannote-speaker", "deepfilter-audio"])
        for entry in MockCatalogue.entries {
            #expect(entry.make(.system, .init(profile: .synapse)).name == entry.name)
            #expect(entry.make(.system, .init(profile: .captured)).name == entry.name)
        }
    }

    /// The catalogue writes `type` and `health` into a generated backends.yaml; the control API's
    /// `GET /mocks` (and so a remote mock set) reports the mock's own. They must agree.
    @Test(arguments: MockCatalogue.Profile.allCases)
    func catalogueEntriesDescribeTheirMocksAsTheMocksDo(_ profile: MockCatalogue.Profile) {
        for entry in MockCatalogue.entries {
            let mock = entry.make(.system, .init(profile: profile))
            #expect(mock.backendType == entry.type, "\(entry.name)")
            #expect(mock.healthPath == entry.health, "\(entry.name)")
        }
    }
}
