import Foundation
import MockWhisper
import SynapseTestSupport
import Testing

/// Replays every whisper-stt transcript, in the order they were captured, against one mock.
@Suite struct WhisperConformanceTests {
    /// The README's capture order: health flips to `model_loaded: true` after the first transcription.
    static let cases = [
        "health_before_model_load", "transcribe_file_only", "health_after_model_load", "transcribe_language_en_no_word_timestamps",
        "transcribe_word_timestamps_true", "transcribe_missing_file", "transcribe_json_body_instead_of_multipart",
        "transcribe_empty_body", "transcribe_non_audio_file", "detect_language", "stream_sse", "stream_missing_file",
        "unknown_path", "transcribe_wrong_method", "stream_sse_with_ping",
    ]

    @Test func everyTranscriptCaseIsListed() {
        let files = Set(Transcript.files(in: "whisper-stt").map { $0.deletingPathExtension().lastPathComponent })
        #expect(files == Set(Self.cases))
    }

    @Test func mockAnswersEveryCapturedRequestLikeTheRealService() async throws {
        // 8 s of inference per audio second puts the 2 s file at 16 s, past the 15 s ping, as in the
        // capture; the virtual clock makes every sleep return at once.
        let clock = LlamaTestClock()
        let mock = WhisperMock(configuration: .init(processingTime: .seconds(8)), time: clock.mockTime)
        try await withLlamaServer(mock) { baseURL in
            let replayer = TranscriptReplayer(baseURL: baseURL, policy: .whisper)
            for name in Self.cases {
                let transcript = try Transcript.load(Fixture.url("transcripts/whisper-stt/\(name).json"))
                let live = try await replayer.send(transcript.request)
                let differences = replayer.comparator.differences(recorded: transcript.response, live: live)
                #expect(differences.isEmpty, "\(name): \(differences)")
                // Stricter than the policy: the bodies are byte-identical, ping timestamps aside.
                #expect(Self.maskingPings(live.body) == Self.maskingPings(transcript.response.body), "\(name): body differs")
            }
        }
    }

    /// The body with each `: ping - <timestamp>` comment's timestamp removed.
    static func maskingPings(_ body: [UInt8]) -> String {
        String(decoding: body, as: UTF8.self)
            .replacingOccurrences(of: #": ping - [^\r]*"#, with: ": ping - <time>", options: .regularExpression)
    }
}
