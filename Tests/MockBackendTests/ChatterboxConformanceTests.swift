import Foundation
import MockChatterbox
import SynapseMockKit
import SynapseTestSupport
import Testing

/// Every chatterbox-tts transcript replayed, in capture order, against one `ChatterboxMock`.
///
/// The capture also ran three uploads that have no transcript (README cases 11, 13 and 14); their
/// files appear in later reference lists, so the test makes equivalent uploads at the same points.
@Suite struct ChatterboxConformanceTests {
    /// The README's run order.
    static let cases = """
        api_model_info health_not_found api_ui_initial_data get_reference_files_initial get_predefined_voices
        v1_audio_voices upload_reference_one_wav upload_reference_two_wavs upload_reference_non_wav
        upload_reference_duplicate upload_reference_too_long upload_reference_wrong_field_name
        get_reference_files_after_uploads tts_predefined tts_clone_uploaded tts_clone_unknown_reference
        tts_clone_missing_reference tts_clone_too_short_reference tts_empty_text tts_missing_text tts_speed_factor
        tts_invalid_output_format tts_malformed_json tts_default_voice_mode_no_voice tts_opus v1_audio_speech
        v1_audio_speech_reference_voice v1_audio_speech_defaults v1_audio_speech_unknown_voice
        v1_audio_speech_missing_input v1_audio_speech_invalid_format v1_audio_speech_empty_input unknown_path
        tts_wrong_method cors_simple_get_with_origin
        """.split(whereSeparator: \.isWhitespace).map(String.init)

    @Test func everyTranscriptCaseIsListed() {
        let files = Set(Transcript.files(in: "chatterbox-tts").map { $0.deletingPathExtension().lastPathComponent })
        #expect(files == Set(Self.cases))
    }

    @Test func mockAnswersEveryCapturedRequestLikeTheRealServer() async throws {
        let tone7s = TranscriptInputs.sineWAV(rate: 16000, seconds: 7, frequency: 440, amplitude: 0.3)
        try await withMockServer(ChatterboxMock(time: instantTime), time: instantTime) { server in
            let replayer = TranscriptReplayer(baseURL: server.baseURL)
            for name in Self.cases {
                let differences = try await replayer.replay(fileAt: Fixture.url("transcripts/chatterbox-tts/\(name).json"))
                #expect(differences.isEmpty, "\(name): \(differences.joined(separator: "\n"))")
                // The uploads the capture made between transcripts.
                if name == "upload_reference_duplicate" {
                    _ = try await send("POST", server.url("/upload_reference"), multipart: [("third_voice.wav", tone7s)])
                }
                if name == "upload_reference_too_long" {
                    _ = try await send(
                        "POST", server.url("/upload_reference"),
                        multipart: [("fake.wav", Array("not really audio".utf8)), ("../evil name!.wav", tone7s)])
                }
            }
        }
    }
}
