import Foundation
import SynapseMockKit
import SynapseMocks
import SynapseScenarios
import SynapseTestSupport
import Testing

/// The same scenario files through the remote half of the `MockSet` contract: a mock cluster
/// started here as a separate server on the real clock, and a runner that is given nothing but
/// its control API's URL (`RemoteMockSets`, HTTP only). Scenarios that declare
/// `requires: [virtualTime]` must come back skipped, with the reason, and only those.
/// Time limit: real time, so a wait that never ends must fail the case rather than hang the run.
@Suite(.serialized, .timeLimit(.minutes(3))) struct RemoteMockSetTests {
    /// Runs `body` with the control URL of a fresh mock cluster on real time.
    static func withRemoteMocks<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let cluster = try MockCluster(configuration: .init(), time: .system, logger: ScenarioRunner.quietLogger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await cluster.run() }
            defer { group.cancelAll() }
            return try await body(try await cluster.endpoints().controlURL)
        }
    }

    @Test(arguments: ScenarioLibraryTests.files)
    func scenarioFromTheLibraryRunsAgainstARemoteMockSet(_ name: String) async throws {
        let scenario = try ScenarioParser.load(path: Fixture.url("scenarios/\(name)").path)
        let report = try await Self.withRemoteMocks { controlURL in
            await ScenarioRunner(mocks: RemoteMockSets(controlURL: controlURL), options: .init(payloadPaths: [Fixture.root.path])).run([scenario])
        }
        #expect(report.failures == 0, Comment(rawValue: report.consoleText()))
        let result = try #require(report.scenarios.first)
        if scenario.requires.contains(.virtualTime) {
            #expect(result.skipped?.contains("needs virtualTime") == true)
            #expect(result.steps.isEmpty)
            #expect(report.consoleText().contains("SKIP  \(scenario.name)"))
        } else {
            #expect(result.skipped == nil)
            #expect(result.steps.isEmpty == false)
        }
    }

    @Test func theRemoteMockSetListsRoutesAndSynthesizesTheSpeechTheMocksRead() async throws {
        try await Self.withRemoteMocks { controlURL in
            try await RemoteMockSets(controlURL: controlURL).withMockSet(mocks: nil, clock: nil, logger: ScenarioRunner.quietLogger) { mocks in
                let backends = try await mocks.backends()
                #expect(backends.map(\.name) == ["llama-embed", "llama-router", "chatterbox-tts", "whisper-stt", "pyannote-speaker", "deepfilter-audio"])
                #expect(backends.first { $0.name == "chatterbox-tts" }?.routes == ["/tts/*"])
                let wav = try await mocks.synthesizeSpeech(text: "Hello there.", voice: "Emily.wav")
                #expect(wav.starts(with: Array("RIFF".utf8)))
                #expect(wav.count > 10_000)
                // Outside every mock: the TTS mock's journal stays empty.
                #expect(try await mocks.journal(of: "chatterbox-tts").isEmpty)
            }
        }
    }

    @Test func aMockTheRemoteSetDoesNotServeFailsTheSetup() async throws {
        try await Self.withRemoteMocks { controlURL in
            await #expect(throws: ScenarioError.self) {
                try await RemoteMockSets(controlURL: controlURL).withMockSet(mocks: ["no-such-mock"], clock: nil, logger: ScenarioRunner.quietLogger) { _ in }
            }
        }
    }
}
