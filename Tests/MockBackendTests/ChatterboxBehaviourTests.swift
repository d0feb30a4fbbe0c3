import Foundation
import MockAudio
import MockChatterbox
import MockWhisper
import SynapseCore
import SynapseMockKit
import SynapseTestSupport
import Testing

/// What the gateway relies on beyond single transcripts: clone round trips, upload rules,
/// speed, streaming and restarts.
@Suite struct ChatterboxBehaviourTests {
    static let tone7s = TranscriptInputs.sineWAV(rate: 16000, seconds: 7, frequency: 440, amplitude: 0.3)

    @Test func uploadedReferenceIsUsedForCloneSynthesis() async throws {
        let reference = MockSpeech.synthesize(text: String(repeating: "A long enough reference clip. ", count: 5), voice: "Olivia.wav")
        try await withMockServer(ChatterboxMock(time: instantTime), time: instantTime) { server in
            let upload = try await send("POST", server.url("/upload_reference"), multipart: [("voice-a_ref_001.wav", reference)])
            #expect(upload.status == 200)
            #expect(upload.text.contains(#""uploaded_files":["voice-a_ref_001.wav"]"#))

            let body = #"{"text":"Cloned words here.","voice_mode":"clone","reference_audio_filename":"voice-a_ref_001.wav"}"#
            let reply = try await send("POST", server.url("/tts"), json: body)
            #expect(reply.status == 200)
            #expect(reply.header("content-type") == "audio/wav")
            let decoded = try #require(MockSpeech.decode(reply.body))
            #expect(decoded.text == "Cloned words here.")
            #expect(decoded.voice.hasPrefix("clone:voice-a_ref_001.wav#"))
            #expect(decoded.voice.hasSuffix("@Olivia.wav"))

            let again = try await send("POST", server.url("/tts"), json: body.replacingOccurrences(of: "Cloned words", with: "Other words"))
            #expect(MockSpeech.decode(again.body)?.voice == decoded.voice)
        }
    }

    @Test func duplicateUploadKeepsTheFirstFile() async throws {
        let first = MockSpeech.synthesize(text: String(repeating: "First speaker reference. ", count: 5), voice: "Ryan.wav")
        let second = MockSpeech.synthesize(text: String(repeating: "Second speaker reference. ", count: 5), voice: "Layla.wav")
        try await withMockServer(ChatterboxMock(time: instantTime), time: instantTime) { server in
            _ = try await send("POST", server.url("/upload_reference"), multipart: [("same.wav", first)])
            let repeatUpload = try await send("POST", server.url("/upload_reference"), multipart: [("same.wav", second)])
            #expect(repeatUpload.status == 200)
            #expect(repeatUpload.text.contains(#""uploaded_files":["same.wav"]"#))
            let speech = try await send("POST", server.url("/v1/audio/speech"), json: #"{"model":"m","input":"Hi there.","voice":"same.wav"}"#)
            #expect(MockSpeech.decode(speech.body)?.voice.hasSuffix("@Ryan.wav") == true)
        }
    }

    /// MP3 references are measured too (soundfile reads MP3): over 30 s is refused at upload, and a
    /// clip of 5 s or less fails synthesis like a short WAV.
    @Test func mp3ReferencesAreMeasuredLikeWAVs() async throws {
        func mp3(seconds: Double) throws -> [UInt8] {
            let frames = Int(seconds * 16_000)
            // 64 kbit/s: at 32 kbit/s and 16 kHz a frame is too small for LAME's Info frame, and
            // without its padding counts the length reads whole frames long (31.10 s here).
            return try AudioEncoder(format: .mp3, sampleRate: 16_000, bitrate: 64).encode(TestAudio.sine(frames: frames, rate: 16_000))
        }
        try await withMockServer(ChatterboxMock(time: instantTime), time: instantTime) { server in
            let long = try await send("POST", server.url("/upload_reference"), multipart: [("long.mp3", try mp3(seconds: 31))])
            #expect(long.status == 400)
            #expect(long.text.contains(#""error":"Reference audio duration (31.00s) exceeds maximum allowed (30s).""#))
            _ = try await send("POST", server.url("/upload_reference"), multipart: [("short.mp3", try mp3(seconds: 3))])
            let tts = try await send("POST", server.url("/tts"), json: #"{"text":"Hi","voice_mode":"clone","reference_audio_filename":"short.mp3"}"#)
            #expect(tts.status == 500)
        }
    }

    @Test func referenceLongerThanThirtySecondsIsRejected() async throws {
        let long = TranscriptInputs.sineWAV(rate: 8000, seconds: 30.5, frequency: 200, amplitude: 0.2)
        try await withMockServer(ChatterboxMock(time: instantTime), time: instantTime) { server in
            let reply = try await send("POST", server.url("/upload_reference"), multipart: [("long one.wav", long)])
            #expect(reply.status == 400)
            #expect(reply.text.contains(#"{"filename":"long_one.wav","error":"Reference audio duration (30.50s) exceeds maximum allowed (30s)."}"#))
            let list = try await send("GET", server.url("/get_reference_files"))
            #expect(list.text == #"["Gianna.wav","Robert.wav"]"#)

            // One good file among bad ones makes the whole upload a 200.
            let mixed = try await send("POST", server.url("/upload_reference"), multipart: [("long.wav", long), ("ok.wav", Self.tone7s)])
            #expect(mixed.status == 200)
        }
    }

    @Test func cloneFromAReferenceOfFiveSecondsOrLessFailsLikeTurbo() async throws {
        let short = TranscriptInputs.sineWAV(rate: 16000, seconds: 5, frequency: 440, amplitude: 0.3)
        try await withMockServer(ChatterboxMock(time: instantTime), time: instantTime) { server in
            _ = try await send("POST", server.url("/upload_reference"), multipart: [("five.wav", short)])
            let tts = try await send("POST", server.url("/tts"), json: #"{"text":"Hello","voice_mode":"clone","reference_audio_filename":"five.wav"}"#)
            #expect(tts.status == 500)
            #expect(tts.text == #"{"detail":"TTS engine failed to synthesize audio for chunk 1."}"#)
            let speech = try await send("POST", server.url("/v1/audio/speech"), json: #"{"model":"m","input":"Hello","voice":"five.wav"}"#)
            #expect(speech.status == 500)
            #expect(speech.text == #"{"detail":"500: TTS engine failed to synthesize audio for chunk 1."}"#)
        }
    }

    @Test func speedFactorChangesTheDuration() async throws {
        try await withMockServer(ChatterboxMock(time: instantTime), time: instantTime) { server in
            func duration(_ speed: String) async throws -> Double {
                let body = #"{"text":"A sentence of moderate length.","predefined_voice_id":"Alice.wav","speed_factor":"# + speed + "}"
                let reply = try await send("POST", server.url("/tts"), json: body)
                return try WAVFile(bytes: reply.body).duration
            }
            let normal = try await duration("1.0")
            let fast = try await duration("2.0")
            let slow = try await duration("0.5")
            #expect(abs(fast - normal / 2) < 0.001)
            #expect(abs(slow - normal * 2) < 0.001)
        }
    }

    @Test func speechStreamsHeaderThenSamplesInSeveralChunks() async throws {
        var configuration = ChatterboxMock.Configuration()
        configuration.speechChunkCount = 6
        let mock = ChatterboxMock(configuration: configuration, time: instantTime)
        try await withMockServer(mock, time: instantTime) { server in
            let reply = try await send(
                "POST", server.url("/v1/audio/speech"), json: #"{"model":"chatterbox","input":"Streaming is fun to test.","voice":"Alice.wav","speed":1.0}"#)
            #expect(reply.status == 200)
            #expect(reply.header("content-disposition") == nil)
            #expect(reply.header("content-length") == nil)
            #expect(reply.pieces.count >= 3)
            let header = try WAVHeader.parse(reply.pieces[0])
            #expect(header.dataOffset == reply.pieces[0].count)
            #expect(MockSpeech.decode(reply.body)?.text == "Streaming is fun to test.")
        }
    }

    @Test func resetForgetsUploads() async throws {
        let mock = ChatterboxMock(time: instantTime)
        try await withMockServer(mock, time: instantTime) { server in
            _ = try await send("POST", server.url("/upload_reference"), multipart: [("mine.wav", Self.tone7s)])
            #expect(try await send("GET", server.url("/get_reference_files")).text.contains("mine.wav"))
            await mock.reset()
            #expect(try await send("GET", server.url("/get_reference_files")).text == #"["Gianna.wav","Robert.wav"]"#)
            let tts = try await send("POST", server.url("/tts"), json: #"{"text":"Hello","voice_mode":"clone","reference_audio_filename":"mine.wav"}"#)
            #expect(tts.status == 404)
        }
    }

    @Test func opusOutputIsAnOggOpusStreamOfTheRightLength() async throws {
        try await withMockServer(ChatterboxMock(time: instantTime), time: instantTime) { server in
            let reply = try await send("POST", server.url("/tts"), json: #"{"text":"Hello opus","predefined_voice_id":"Emily.wav","output_format":"opus"}"#)
            #expect(reply.header("content-type") == "audio/opus")
            let body = reply.body
            #expect(Array(body.prefix(4)) == Array("OggS".utf8))
            let text = String(decoding: body, as: UTF8.self)
            #expect(text.contains("OpusHead"))
            #expect(text.contains("TITLE=Hello opus"))
            // The packets carry the speech itself: ffmpeg decodes it back at 24 kHz, same length and level.
            let expected = MockSpeech.samples(text: "Hello opus", voice: "Emily.wav")
            let decoded = try await ReferenceDecoder.decode(Array(body), fileExtension: "opus", channels: 1, sampleRate: MockSpeech.sampleRate)
            #expect(decoded.errors.isEmpty, "\(decoded.errors)")
            #expect(decoded.samples.count == expected.count)
            let comparison = ReferenceDecoder.compare(input: expected, decoded: decoded.samples, channels: 1)
            #expect(comparison.snr > 12 && abs(20 * log10(comparison.level)) < 1, "SNR \(comparison.snr) dB, level \(comparison.level)")
        }
    }

    /// TTS in a compressed format, then STT: the whisper mock reads the text back from the tags.
    /// (Non-ASCII text too: LAME writes ID3 text as Latin-1, and the whisper mock undoes that.)
    @Test(arguments: ["opus", "mp3"], ["Round trips work in every format.", "Ünïcode — ça marche, 日本語も."])
    func compressedSpeechTranscribesBackToItsText(format: String, text: String) async throws {
        let audio = try await withMockServer(ChatterboxMock(time: instantTime), time: instantTime) { server in
            try await send("POST", server.url("/tts"), json: #"{"text":"\#(text)","predefined_voice_id":"Emily.wav","output_format":"\#(format)"}"#).body
        }
        let reply = try await withLlamaServer(WhisperMock()) { base in
            try await postForm(base + "/transcribe", [.file("file", Array(audio), filename: "speech.\(format)")])
        }
        #expect(try reply.json()["text"] as? String == text)
        let duration = try #require(try reply.json()["duration"] as? Double)
        #expect(abs(duration - MockSpeech.duration(of: text)) < 0.001)
    }
}
