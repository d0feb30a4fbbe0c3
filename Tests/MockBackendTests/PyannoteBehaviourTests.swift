import Foundation
import MockAudio
import MockPyannote
import SynapseCore
import Testing

@Suite struct PyannoteBehaviourTests {
    @Test func twoClipsOfOneVoiceVerifyAsTheSameSpeakerAndDifferentVoicesDoNot() async throws {
        let first = MockSpeech.synthesize(text: "The first sentence of the day.", voice: "Emily.wav")
        let second = MockSpeech.synthesize(text: "Another thing entirely.", voice: "Emily.wav")
        let other = MockSpeech.synthesize(text: "Another thing entirely.", voice: "Michael.wav")
        try await withLlamaServer(PyannoteMock()) { base in
            let same = try await postForm(base + "/verify", [.file("file1", first), .file("file2", second)]).json()
            #expect(same["is_same_speaker"] as? Bool == true)
            let different = try await postForm(base + "/verify", [.file("file1", first), .file("file2", other)]).json()
            #expect(different["is_same_speaker"] as? Bool == false)
            #expect(different["threshold"] as? Double == 0.5)
        }
    }

    /// An MP3 of mock speech (tagged as the Chatterbox mock tags it) is the same speaker as the WAV.
    @Test func compressedMockSpeechVerifiesAgainstItsWAV() async throws {
        let text = "The first sentence of the day."
        let wav = MockSpeech.synthesize(text: text, voice: "Emily.wav")
        let mp3 = try AudioEncoder(format: .mp3, sampleRate: MockSpeech.sampleRate)
            .encode(MockSpeech.samples(text: text, voice: "Emily.wav"), tags: MockSpeech.compressedTags(text: text, voice: "Emily.wav"))
        let other = MockSpeech.synthesize(text: text, voice: "Michael.wav")
        try await withLlamaServer(PyannoteMock()) { base in
            let same = try await postForm(base + "/verify", [.file("file1", mp3, filename: "a.mp3"), .file("file2", wav)]).json()
            #expect(same["is_same_speaker"] as? Bool == true)
            let different = try await postForm(base + "/verify", [.file("file1", mp3, filename: "a.mp3"), .file("file2", other)]).json()
            #expect(different["is_same_speaker"] as? Bool == false)
            let diarized = try await postForm(base + "/diarize", [.file("file", mp3, filename: "a.mp3")]).json()
            #expect(diarized["num_speakers"] as? Int == 1)
        }
    }

    @Test func diarizedSegmentsFollowTheAudiosEnergy() async throws {
        // 1 s tone, 1 s silence, 1 s tone an octave up: two turns, two speakers.
        var samples = TestAudio.sine(frames: 16_000, rate: 16_000, frequency: 150)
        samples += [Int16](repeating: 0, count: 16_000)
        samples += TestAudio.sine(frames: 16_000, rate: 16_000, frequency: 300)
        let wav = WAVFile.encode(samples: samples, sampleRate: 16_000)
        let json = try await withLlamaServer(PyannoteMock()) { base in try await postForm(base + "/diarize", [.file("file", wav)]) }.json()
        let segments = try #require(json["segments"] as? [[String: Any]])
        #expect(segments.count == 2)
        #expect(abs((segments[0]["start"] as? Double ?? -1) - 0.0) < 0.05)
        #expect(abs((segments[0]["end"] as? Double ?? -1) - 1.0) < 0.05)
        #expect(abs((segments[1]["start"] as? Double ?? -1) - 2.0) < 0.05)
        #expect(segments.map { $0["speaker"] as? String } == ["SPEAKER_00", "SPEAKER_01"])
        #expect(json["num_speakers"] as? Int == 2)
        #expect(json["duration"] as? Double == 3.0)
    }

    /// Every container libsndfile reads is diarised from its samples: before libsndfile, Ogg Vorbis,
    /// Ogg Opus and AIFF uploads got the plain 500.
    @Test(arguments: ["ogg", "opus", "aiff", "flac", "mp3"])
    func uploadsInEveryContainerAreDiarized(format: String) async throws {
        var samples = TestAudio.sine(frames: 16_000, rate: 16_000, frequency: 150)
        samples += [Int16](repeating: 0, count: 16_000)
        samples += TestAudio.sine(frames: 16_000, rate: 16_000, frequency: 300)
        let file: [UInt8]
        if format == "aiff" {
            file = try await ReferenceDecoder.encode(samples, rate: 16_000, channels: 1, codec: ["-c:a", "pcm_s16be"], outputName: "out.aiff")
        } else {
            file = try AudioEncoder(format: try #require(AudioFormat(rawValue: format)), sampleRate: 16_000).encode(samples)
        }
        let reply = try await withLlamaServer(PyannoteMock()) { base in try await postForm(base + "/diarize", [.file("file", file, filename: "a.\(format)")]) }
        #expect(reply.status == 200)
        let json = try reply.json()
        let segments = try #require(json["segments"] as? [[String: Any]])
        #expect(segments.map { $0["speaker"] as? String } == ["SPEAKER_00", "SPEAKER_01"])
        #expect(abs((json["duration"] as? Double ?? 0) - 3.0) <= 0.01)
    }

    @Test func numSpeakersIsRespectedAndNonIntegersGetIntParsing() async throws {
        var samples = TestAudio.sine(frames: 16_000, rate: 16_000, frequency: 150)
        samples += [Int16](repeating: 0, count: 16_000)
        samples += TestAudio.sine(frames: 16_000, rate: 16_000, frequency: 300)
        let wav = WAVFile.encode(samples: samples, sampleRate: 16_000)
        try await withLlamaServer(PyannoteMock()) { base in
            let one = try await postForm(base + "/diarize", [.file("file", wav), .text("num_speakers", "1")]).json()
            #expect(one["num_speakers"] as? Int == 1)
            let bad = try await postForm(base + "/diarize", [.file("file", wav), .text("num_speakers", "two")])
            #expect(bad.status == 422)
            #expect(bad.text.contains(#""type":"int_parsing","loc":["body","num_speakers"]"#))
            let missing = try await postForm(base + "/verify", [.file("file1", wav)])
            #expect(missing.text == #"{"detail":[{"type":"missing","loc":["body","file2"],"msg":"Field required","input":null}]}"#)
        }
    }
}
