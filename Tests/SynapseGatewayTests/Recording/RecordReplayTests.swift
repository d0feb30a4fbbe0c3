import Foundation
import NIOHTTP1
import SynapseCore
import SynapseHAR
import SynapseLoad
import SynapseLoadReport
import SynapseMockKit
import SynapseMocks
import SynapseTestSupport
import Testing

@testable import SynapseGateway

/// The whole loop: traffic recorded at the gateway in front of the mocks, then replayed from the
/// recording by the load engine through the same gateway. The mocks must see the same requests
/// both times: the same routes, and bodies with the same SHA-256 (JSON and a multipart upload,
/// the latter replayed from its body file).
@Suite struct RecordReplayTests {
    /// What a mock saw: method, path and body fingerprint, in a comparable order.
    static func seen(_ mocks: [MockHandle]) -> [String] {
        mocks.flatMap { mock in mock.journal.entries.map { "\(mock.name) \($0.method) \($0.path) \($0.bodySHA256)" } }.sorted()
    }

    @Test func aRecordingReplaysTheSameRequestsToTheBackends() async throws {
        var cluster = MockCluster.Configuration()
        cluster.only = ["llama-embed", "whisper-stt"]
        try await withMockCluster(cluster) { endpoints in
            let ports = Dictionary(uniqueKeysWithValues: endpoints.mocks.map { ($0.name, $0.port) })
            try await Harness.withRecordingGateway(Harness.config(ports)) { gateway, url, folder in
                let speech = WAVFile(samples: (0..<24_000).map { Int16(truncatingIfNeeded: $0 &* 37) }, sampleRate: 24_000).encoded()
                let form = {
                    var form = MultipartBody()
                    form.parts.append(("file", "speech.wav", "audio/wav", Data(speech)))
                    form.parts.append(("language", nil, nil, Data("en".utf8)))
                    return form
                }()
                try await Harness.withClient { client in
                    for input in ["first", "second"] {
                        let reply = try await client.send(
                            .POST, url + "/v1/embeddings", headers: [("Content-Type", "application/json"), ("Authorization", "Bearer sk-recorded")],
                            body: Data(#"{"input":"\#(input)","model":"e5"}"#.utf8))
                        #expect(reply.status == 200)
                    }
                    let reply = try await client.send(.POST, url + "/stt/transcribe", headers: [("Content-Type", form.contentType)], body: form.data)
                    #expect(reply.status == 200, "\(reply.text)")
                }
                await gateway.recorder.flush()
                let recorded = Self.seen(endpoints.mocks)
                #expect(recorded.count == 3)
                for mock in endpoints.mocks { mock.journal.clear() }

                let archive = try HARArchive.load(folder.path)
                #expect(archive.exchanges.map(\.route) == ["POST /v1/embeddings", "POST /v1/embeddings", "POST /stt/transcribe"])
                guard case .file = archive.exchanges[2].requestBody else {
                    Issue.record("the multipart upload is replayed from its body file")
                    return
                }
                let target = try TargetURL.parse(url)
                var rewrite = RequestRewrite(target: target)
                rewrite.setAPIKey("sk-replayed")
                var plan = LoadPlan(requests: rewrite.requests(from: archive.exchanges).requests, target: target, pacing: .recorded(speed: 10))
                plan.threads = 1
                let run = try await LoadRun.start(plan)
                let result = await run.finished()
                #expect(result.statistics.requests == 3 && result.statistics.errors == 0)
                #expect(Self.seen(endpoints.mocks) == recorded)
            }
        }
    }
}
