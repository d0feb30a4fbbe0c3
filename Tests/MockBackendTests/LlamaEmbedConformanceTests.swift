import Foundation
import MockLlama
import SynapseTestSupport
import Testing

/// Every `embed_*` transcript replayed against `LlamaEmbedMock` configured like the captured server.
@Suite struct LlamaEmbedConformanceTests {
    static let duringLoad = ["embed_health_during_load.json", "embed_v1_models_during_load.json"]
    static let readyCases = Transcript.files(in: "llama-server", prefix: "embed_").map(\.lastPathComponent).filter { !duringLoad.contains($0) }

    @Test(arguments: readyCases)
    func readyServerAnswersLikeTheTranscript(_ file: String) async throws {
        let mock = LlamaEmbedMock(configuration: .transcripts, time: LlamaTestClock().mockTime)
        let differences = try await withLlamaServer(mock) { base in
            try await TranscriptReplayer(baseURL: base, policy: .llama)
                .replay(fileAt: Fixture.url("transcripts/llama-server/\(file)"))
        }
        #expect(differences.isEmpty, "\(file): \(differences.joined(separator: "\n"))")
    }

    @Test(arguments: duringLoad)
    func loadingServerAnswersLikeTheTranscript(_ file: String) async throws {
        var configuration = LlamaEmbedMock.Configuration.transcripts
        configuration.startupTime = .seconds(30)
        let mock = LlamaEmbedMock(configuration: configuration, time: LlamaTestClock().mockTime)
        let differences = try await withLlamaServer(mock) { base in
            try await TranscriptReplayer(baseURL: base, policy: .llama)
                .replay(fileAt: Fixture.url("transcripts/llama-server/\(file)"))
        }
        #expect(differences.isEmpty, "\(file): \(differences.joined(separator: "\n"))")
    }
}
