import Foundation
import MockAudio
import MockChatterbox
import MockWhisper
import NIOHTTP1
import SynapseCore
import SynapseMockKit
import Testing

@testable import SynapseGateway

/// Default-voice synthesis and streaming, interpolation, languages, request validation, and the
/// TTS → STT round trip.
@Suite struct TTSRoutesTests {
    @Test func synthesisWithoutAVoiceUsesChatterboxsDefaultVoiceInPredefinedMode() async throws {
        try await VoiceKit.withRig { rig in
            let reply = try await rig.synthesize(["text": "Plain voice.", "split_sentences": false])
            #expect(reply.status == 200)
            #expect(reply.header("content-disposition") == "attachment; filename=synapse_tts.wav")
            let tts = try #require(rig.ttsCalls.first?.json)
            // Chatterbox's `/tts` body, in the original's key order.
            #expect(
                tts
                    == .object([
                        ("text", .string("Plain voice.")), ("split_text", .bool(false)), ("language", .string("en")),
                        ("voice_mode", .string("predefined")), ("predefined_voice_id", .string("Alice.wav")),
                    ]))
            #expect(MockSpeech.decode(Array(reply.body))?.voice == "Alice.wav")
        }
    }

    @Test func streamingWithoutAVoiceRelaysChatterboxsSpeechEndpoint() async throws {
        try await VoiceKit.withRig { rig in
            let reply = try await rig.synthesize(["text": "Streamed words.", "speed": 0.75], path: "/tts/stream")
            #expect(reply.status == 200)
            #expect(reply.header("content-type") == "audio/wav")
            #expect(rig.calls == ["POST /v1/audio/speech"])
            let speech = try #require(rig.chatterbox.journal.entries.first?.json)
            #expect(
                speech
                    == .object([
                        ("model", .string("chatterbox")), ("input", .string("Streamed words.")), ("voice", .string("Alice.wav")), ("speed", .double(0.75)),
                    ]))
            #expect(MockSpeech.decode(Array(reply.body))?.text == "Streamed words.")
        }
    }

    @Test func interpolationClonesTheHighestWeightedVoice() async throws {
        try await VoiceKit.withRig { rig in
            let light = try await rig.createVoice(name: "light", files: [("l.wav", VoiceKit.speech(longerThan: 6, voice: "Emily.wav"))])
            let heavy = try await rig.createVoice(name: "heavy", files: [("h.wav", VoiceKit.speech(longerThan: 6, voice: "Ryan.wav"))])
            let body: [String: Any] = ["text": "Blended.", "voices": [["voice_id": light, "weight": 0.3], ["voice_id": heavy, "weight": 0.7]]]
            let reply = try await rig.send(.POST, "/tts/interpolate", json: body)
            #expect(reply.status == 200)
            #expect(reply.header("content-disposition") == "attachment; filename=synapse_interpolate.wav")
            #expect(rig.uploads.count == 1)
            #expect(rig.uploads.first?.filenames.first?.hasPrefix(heavy + "_") == true)
            #expect(rig.ttsCalls.first?.json?["split_text"] == .bool(true))
            #expect(MockSpeech.decode(Array(reply.body)).map { MockSpeech.speakerIdentity(of: $0.voice) } == "Ryan.wav")

            let unknown = try await rig.send(
                .POST, "/tts/interpolate", json: ["text": "x", "voices": [["voice_id": light, "weight": 0.5], ["voice_id": "0123456789ab", "weight": 0.5]]])
            #expect(unknown.status == 404)
        }
    }

    static let invalidBodies: [(path: String, body: String, needle: String)] = [
        ("/tts/synthesize", #"{}"#, "'text' is required"),
        ("/tts/synthesize", #"{"text":""}"#, "1-5000"),
        ("/tts/synthesize", #"{"text":"\#(String(repeating: "a", count: 5001))"}"#, "1-5000"),
        ("/tts/synthesize", #"{"text":"hi","speed":0.4}"#, "'speed'"),
        ("/tts/synthesize", #"{"text":"hi","speed":2.1}"#, "'speed'"),
        ("/tts/synthesize", #"{"text":"hi","speed":"fast"}"#, "'speed' must be a number"),
        ("/tts/synthesize", #"{"text":"hi","language":"xx"}"#, "language 'xx'"),
        ("/tts/stream", #"{"text":"hi","split_sentences":"yes"}"#, "'split_sentences'"),
        ("/tts/stream", "not json", "JSON object"),
        ("/tts/interpolate", #"{"text":"hi","voices":[{"voice_id":"a","weight":1}]}"#, "2-5"),
        ("/tts/interpolate", #"{"text":"hi","voices":[{"voice_id":"a","weight":0.5},{"voice_id":"b","weight":0.4}]}"#, "sum to 1.0 (got 0.900)"),
        ("/tts/interpolate", #"{"text":"hi","voices":[{"voice_id":"a","weight":0},{"voice_id":"b","weight":1}]}"#, "weight"),
    ]

    @Test(arguments: 0..<invalidBodies.count)
    func anInvalidTTSRequestIsA400BeforeChatterboxIsCalled(_ index: Int) async throws {
        let (path, body, needle) = Self.invalidBodies[index]
        try await VoiceKit.withRig { rig in
            let reply = try await rig.client.send(.POST, rig.base + path, headers: [("Content-Type", "application/json")], body: Data(body.utf8))
            #expect(reply.status == 400)
            #expect(reply.text.contains(needle), "\(reply.text)")
            #expect(rig.calls.isEmpty)
        }
    }

    @Test func theLanguagesAreChatterboxs23() async throws {
        try await VoiceKit.withRig { rig in
            let reply = try await rig.client.send(.GET, rig.base + "/tts/languages")
            let list = try #require(try JSONSerialization.jsonObject(with: reply.body) as? [[String: String]])
            #expect(
                list.map { $0["code"]! } == [
                    "ar", "da", "de", "el", "en", "es", "fi", "fr", "he", "hi", "it", "ja", "ko", "ms", "nl", "no", "pl", "pt", "ru", "sv", "sw", "tr", "zh",
                ])
            #expect(list[4] == ["code": "en", "name": "English"])
        }
    }

    @Test func anUnreachableChatterboxIsA503() async throws {
        try await VoiceKit.withScratchFolder { folder in
            let config = Harness.config(["chatterbox-tts": try await Harness.deadPort()]) { $0.gateway.voiceLibraryDir = folder }
            try await Harness.withGateway(config) { base in
                try await Harness.withClient { client in
                    let reply = try await client.send(
                        .POST, base + "/tts/synthesize", headers: [("Content-Type", "application/json")], body: Data(#"{"text":"hi"}"#.utf8))
                    #expect(reply.status == 503)
                }
            }
        }
    }

    @Test func aChatterboxWithoutItsModelIsA503InTheEnvelope() async throws {
        try await VoiceKit.withRig(chatterbox: .init(configuration: .init(modelLoaded: false))) { rig in
            let reply = try await rig.synthesize(["text": "hi"])
            #expect(reply.status == 503 && reply.errorCode == "backend_unavailable")
            #expect((reply.json?["error"] as? [String: Any])?["detail"] as? String == #"{"detail":"TTS engine model is not currently loaded or available."}"#)
        }
    }

    @Test func theTTSBackendIsTheOneTheRouteTableNames() async throws {
        try await VoiceKit.withRig(chatterbox: .init(configuration: .init(modelLoaded: false)), backendName: "speech-two") { rig in
            let reply = try await rig.synthesize(["text": "hi"])
            #expect(rig.calls == ["POST /tts"])
            #expect(reply.status == 503 && (reply.json?["error"] as? [String: Any])?["backend"] as? String == "speech-two")
        }
    }

    @Test func speechSynthesizedInAClonedVoiceTranscribesBackToTheSameText() async throws {
        try await withMockServer(WhisperMock(), logger: Harness.quietLogger) { whisper in
            try await VoiceKit.withRig(extraBackends: ["whisper-stt": whisper.port]) { rig in
                let id = try await rig.createVoice(files: [("me.wav", VoiceKit.speech(longerThan: 6, voice: "Olivia.wav"))])
                let text = "The quick brown fox jumps over the lazy dog."
                let audio = try await rig.synthesize(["text": text, "voice_id": id])
                #expect(audio.status == 200)
                var form = MultipartBody()
                form.parts.append((name: "file", filename: "synapse_tts.wav", contentType: "audio/wav", data: audio.body))
                let transcript = try await rig.upload("/stt/transcribe", form)
                #expect(transcript.status == 200)
                let said = (transcript.json?["text"] as? String)?.trimmingCharacters(in: .whitespaces)
                #expect(said == text)
            }
        }
    }
}
