import Foundation
import MockAudio
import MockWhisper
import SynapseCore
import SynapseMockKit
import Synchronization
import Testing

@Suite struct WhisperBehaviourTests {
    @Test func mockSpeechTranscribesBackToItsTextWithOneSegmentPerSentence() async throws {
        let text = "Good morning everyone. The meeting starts now!"
        let wav = MockSpeech.synthesize(text: text, voice: "Emily.wav")
        let reply = try await withLlamaServer(WhisperMock()) { base in try await postForm(base + "/transcribe", [.file("file", wav)]) }
        #expect(reply.status == 200)
        let json = try reply.json()
        #expect(json["text"] as? String == text)
        let segments = try #require(json["segments"] as? [[String: Any]])
        #expect(segments.map { $0["text"] as? String } == ["Good morning everyone.", "The meeting starts now!"])
        #expect(segments.map { $0["id"] as? Int } == [1, 2])
        let words = try #require(segments[0]["words"] as? [[String: Any]])
        #expect(words.first?["word"] as? String == " Good")
    }

    /// Compressed uploads (which the real service decodes with PyAV) are decoded by libsndfile:
    /// mock speech tagged with its text comes back as that text, a steady tone in any container as
    /// the capture's stand-in phrase over the decoded duration, and junk is the plain 500.
    @Test func compressedUploadsAreDecodedAndHeard() async throws {
        let text = "Compressed speech still counts."
        let samples = MockSpeech.samples(text: text, voice: "Emily.wav")
        let mp3 = try AudioEncoder(format: .mp3, sampleRate: MockSpeech.sampleRate)
            .encode(samples, tags: MockSpeech.compressedTags(text: text, voice: "Emily.wav"))
        let tone = TestAudio.sine(frames: 40_000, rate: 16_000, frequency: 300)
        let vorbis = try AudioEncoder(format: .ogg, sampleRate: 16_000).encode(tone)
        let opus = try AudioEncoder(format: .opus, sampleRate: 16_000).encode(tone)
        let flacTone = try AudioEncoder(format: .flac, sampleRate: 16_000).encode(tone)
        let (speech, tones, junk) = try await withLlamaServer(WhisperMock()) { base in
            (
                try await postForm(base + "/transcribe", [.file("file", mp3, filename: "speech.mp3")]),
                [
                    try await postForm(base + "/transcribe", [.file("file", vorbis, filename: "tone.ogg")]),
                    try await postForm(base + "/transcribe", [.file("file", opus, filename: "tone.opus")]),
                    try await postForm(base + "/transcribe", [.file("file", flacTone, filename: "tone.flac")]),
                ],
                try await postForm(base + "/transcribe", [.file("file", Array("OggS but not really".utf8), filename: "x.ogg")])
            )
        }
        #expect(try speech.json()["text"] as? String == text)
        for tone in tones {
            let json = try tone.json()
            #expect(json["duration"] as? Double == 2.5)
            #expect(json["text"] as? String == "Hello world. This is a test.")
        }
        #expect(junk.status == 500)
    }

    @Test func wordsAreNullWhenWordTimestampsIsFalseAndGivenLanguageHasProbabilityOne() async throws {
        let wav = MockSpeech.synthesize(text: "Hello there.", voice: "Emily.wav")
        let reply = try await withLlamaServer(WhisperMock()) { base in
            try await postForm(base + "/transcribe", [.file("file", wav), .text("language", "de"), .text("word_timestamps", "off")])
        }
        #expect(reply.text.contains(#""words":null"#))
        #expect(reply.text.contains(#""language":"de","language_probability":1.0"#))
    }

    @Test func anUnparsableBooleanGetsFastAPIsBoolParsingError() async throws {
        let wav = MockSpeech.synthesize(text: "Hi.", voice: "Emily.wav")
        let reply = try await withLlamaServer(WhisperMock()) { base in
            try await postForm(base + "/transcribe", [.file("file", wav), .text("word_timestamps", "maybe")])
        }
        #expect(reply.status == 422)
        #expect(
            reply.text
                == #"{"detail":[{"type":"bool_parsing","loc":["body","word_timestamps"],"msg":"Input should be a valid boolean, unable to interpret input","input":"maybe"}]}"#
        )
    }

    @Test func healthReportsTheModelLoadedOnlyAfterTheFirstInference() async throws {
        let mock = WhisperMock()
        try await withLlamaServer(mock) { base in
            #expect(!mock.isModelLoaded)
            _ = try await postForm(base + "/detect-language", [.file("file", MockSpeech.synthesize(text: "Hi.", voice: "Emily.wav"))])
            #expect(mock.isModelLoaded)
        }
    }

    /// One lock serialises every inference, as in the service: three requests of 0.3 s each sent
    /// together take at least 0.9 s, and their inference intervals (the mock's processing sleeps,
    /// timed inside the mock, so a busy test machine cannot blur them) never overlap.
    @Test func concurrentRequestsQueueBehindOneInferenceLock() async throws {
        let clock = ContinuousClock()
        let intervals = Mutex<[Range<ContinuousClock.Instant>]>([])
        let recording = MockTime(
            sleep: { duration in
                let start = clock.now
                try await Task.sleep(for: duration)
                if duration > .zero { intervals.withLock { $0.append(start..<clock.now) } }
            },
            now: { Date() })
        let mock = WhisperMock(configuration: .init(processingTime: .milliseconds(300)), time: recording)
        let wav = WAVFile.encode(samples: TestAudio.sine(frames: 16_000, rate: 16_000), sampleRate: 16_000)
        let started = clock.now
        let finishes = try await withLlamaServer(mock) { base in
            try await withThrowingTaskGroup(of: Duration.self) { group in
                for path in ["/transcribe", "/stream", "/transcribe"] {
                    group.addTask {
                        let reply = try await postForm(base + path, [.file("file", wav)])
                        #expect(reply.status == 200)
                        return clock.now - started
                    }
                }
                return try await group.reduce(into: [Duration]()) { $0.append($1) }.sorted()
            }
        }
        #expect(finishes.count == 3)
        #expect(finishes[2] >= .milliseconds(900), "all three done after \(finishes[2])")
        let processed = intervals.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
        #expect(processed.count == 3)
        for (earlier, later) in zip(processed, processed.dropFirst()) {
            #expect(later.lowerBound >= earlier.upperBound, "inference intervals overlap: \(processed)")
        }
    }

    @Test func streamSendsOnePingPerIntervalWhileTranscribing() async throws {
        let clock = LlamaTestClock()
        let mock = WhisperMock(configuration: .init(processingTime: .seconds(10), pingInterval: .seconds(5)), time: clock.mockTime)
        let wav = WAVFile.encode(samples: TestAudio.sine(frames: 16_000, rate: 16_000), sampleRate: 16_000)
        let reply = try await withLlamaServer(mock) { base in try await postForm(base + "/stream", [.file("file", wav)]) }
        #expect(reply.text.components(separatedBy: ": ping - ").count - 1 == 2)
        #expect(reply.text.hasSuffix("event: done\r\ndata: {}\r\n\r\n"))
        #expect(reply.text.contains(#"data: {"id": 1, "text": "Hello world.", "start": 0.0"#))
    }

    @Test func silenceGivesNoSegments() async throws {
        let wav = WAVFile.encode(samples: [Int16](repeating: 0, count: 16_000), sampleRate: 16_000)
        let reply = try await withLlamaServer(WhisperMock()) { base in try await postForm(base + "/transcribe", [.file("file", wav)]) }
        #expect(try reply.json()["segments"] as? [Any] != nil)
        #expect((try reply.json()["segments"] as? [Any])?.isEmpty == true)
    }
}
