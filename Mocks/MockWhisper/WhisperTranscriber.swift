import Foundation
import MockAudio
import SynapseCore

/// The mock's "model": turns an uploaded file into a `WhisperTranscript`, deterministically.
///
/// | input | transcript |
/// | --- | --- |
/// | mock speech (`MockSpeech`) | its text, words at the file's own word layout, one segment per sentence |
/// | silence | no segments |
/// | one steady tone (the transcripts' inputs) | "Hello world." + "This is a test.", each half of the file, word timings as the capture's stand-in model |
/// | anything else | 2.5 words per second picked from a small vocabulary with a seed from the samples' SHA-256 |
/// | FLAC, Ogg Vorbis, Ogg Opus, MP3, AIFF… | decoded by libsndfile, then as above; mock speech from its tags (see `hear`) |
/// | not audio | throws (the real decoder's error: plain 500) |
struct WhisperTranscriber: Sendable {
    struct UndecodableAudio: Error {}

    /// Language reported when none is given, with the capture's probabilities.
    static let detectedLanguage = "en"
    static let detectedProbability = 0.9716796875
    /// The capture's per-language list, most likely first.
    static let languageRanking = ["en", "de", "nl", "fr", "es", "it", "pt"]

    /// Whisper's language codes; any other `language` makes faster-whisper raise (plain 500).
    static let languageCodes: Set<String> = [
        "en", "zh", "de", "es", "ru", "ko", "fr", "ja", "pt", "tr", "pl", "ca", "nl", "ar", "sv", "it", "id", "hi", "fi", "vi",
        "he", "uk", "el", "ms", "cs", "ro", "da", "hu", "ta", "no", "th", "ur", "hr", "bg", "lt", "la", "mi", "ml", "cy", "sk",
        "te", "fa", "lv", "bn", "sr", "az", "sl", "kn", "et", "mk", "br", "eu", "is", "hy", "ne", "mn", "bs", "kk", "sq", "sw",
        "gl", "mr", "pa", "si", "km", "sn", "yo", "so", "af", "oc", "ka", "be", "tg", "sd", "gu", "am", "yi", "lo", "uz", "fo",
        "ht", "ps", "tk", "nn", "mt", "sa", "lb", "my", "bo", "tl", "mg", "as", "tt", "haw", "ln", "ha", "ba", "jw", "su", "yue",
    ]

    private static let vocabulary = [
        "the", "signal", "carries", "a", "quiet", "message", "through", "noise", "and", "time", "every", "sample",
        "counts", "in", "this", "stream", "of", "sound", "we", "hear", "waves", "rise", "fall", "again",
    ]

    /// Transcribes `bytes`; `language` nil means detect.
    func transcribe(_ bytes: [UInt8], language: String?) throws -> WhisperTranscript {
        guard let (duration, segments) = Self.hear(bytes) else { throw UndecodableAudio() }
        if let language, !Self.languageCodes.contains(language) { throw UndecodableAudio() }
        return WhisperTranscript(
            segments: segments, language: language ?? Self.detectedLanguage,
            languageProbability: language == nil ? Self.detectedProbability : 1.0, duration: WhisperTranscript.round(duration, digits: 3))
    }

    /// Decodes and returns the detected language (the mock always hears English).
    func detectLanguage(_ bytes: [UInt8]) throws -> (language: String, probability: Double, ranking: [String]) {
        guard Self.hear(bytes) != nil else { throw UndecodableAudio() }
        return (Self.detectedLanguage, Self.detectedProbability, Array(Self.languageRanking.prefix(5)))
    }

    /// The duration and the segments heard in a file; nil when it is not audio.
    ///
    /// The file is decoded once (`AudioDecoder`: WAV, FLAC, Ogg Vorbis and Opus, MP3 and whatever
    /// else libsndfile reads). Mock speech is read back from its tags (WAV INFO, or the Opus
    /// comments and ID3 frames of the Chatterbox mock's compressed output); other audio is
    /// analysed sample by sample.
    static func hear(_ bytes: [UInt8]) -> (duration: Double, segments: [WhisperTranscript.Segment])? {
        guard let audio = try? AudioDecoder.read(bytes) else { return nil }
        if let speech = MockSpeech.analyze(audio) {
            return (speech.duration, segments(from: speech.layout.words.map { ($0.text, $0.start, $0.end) }))
        }
        let wav = audio.pcm
        let features = AudioFeatures(samples: wav.monoFloatSamples, sampleRate: wav.sampleRate)
        if features.isSilent { return (wav.duration, []) }
        if features.isPureTone { return (wav.duration, referencePhrase(duration: wav.duration)) }
        var pcm: [UInt8] = []
        WAVFile.appendPCM16(wav.samples, to: &pcm)
        return (wav.duration, hashedWords(seed: pcm, duration: wav.duration))
    }

    // MARK: Sources of text

    /// A word as written (`"Hello,"`) and its interval in seconds.
    typealias TimedWord = (text: String, start: Double, end: Double)

    /// One segment per sentence (ending in `.`, `!` or `?`), with the given word times.
    static func segments(from timedWords: [TimedWord]) -> [WhisperTranscript.Segment] {
        var segments: [WhisperTranscript.Segment] = []
        var current: [TimedWord] = []
        func close() {
            guard let first = current.first, let last = current.last else { return }
            let words = current.map { word in
                WhisperTranscript.Word(
                    word: " " + word.text, start: WhisperTranscript.round(word.start), end: WhisperTranscript.round(word.end),
                    probability: probability(for: word.text))
            }
            segments.append(
                .init(
                    id: segments.count + 1, text: current.map(\.text).joined(separator: " "),
                    start: WhisperTranscript.round(first.start), end: WhisperTranscript.round(last.end), words: words))
            current = []
        }
        for word in timedWords {
            current.append(word)
            if let end = word.text.last, ".!?".contains(end) { close() }
        }
        close()
        return segments
    }

    /// The capture's stand-in output: two sentences splitting the file in half, words ending at
    /// fixed fractions of their segment, rounded to 2 decimals.
    static func referencePhrase(duration: Double) -> [WhisperTranscript.Segment] {
        let sentences: [[(String, Double, Double)]] = [
            [("Hello", 0.45, 0.9912109375), ("world.", 1.0, 0.98046875)],
            [("This", 0.2, 0.99560546875), ("is", 0.4, 0.998046875), ("a", 0.5525, 0.9970703125), ("test.", 1.0, 0.96337890625)],
        ]
        let half = duration / 2
        return sentences.enumerated().map { index, words in
            let start = Double(index) * half
            var cursor = start
            let timed = words.map { text, fraction, probability in
                let end = start + half * fraction
                defer { cursor = end }
                return WhisperTranscript.Word(
                    word: " " + text, start: WhisperTranscript.round(cursor), end: WhisperTranscript.round(end), probability: probability)
            }
            return .init(
                id: index + 1, text: words.map(\.0).joined(separator: " "), start: WhisperTranscript.round(start),
                end: WhisperTranscript.round(start + half), words: timed)
        }
    }

    /// Words chosen by a generator seeded from `seed` (the samples, or a compressed file's bytes),
    /// 2.5 per second, sentences of 4–8 words.
    /// Most words one transcript holds: 100,000 (11 hours of speech at 2.5 words per second).
    static let maximumWords = 100_000

    static func hashedWords(seed: [UInt8], duration: Double) -> [WhisperTranscript.Segment] {
        let digest = SHA256.hex(seed)
        var generator = SplitMix64(seed: UInt64(digest.prefix(16), radix: 16) ?? 0)
        // Capped: the duration of an undecodable file is its header's claim (a FLAC header can say
        // 2³⁶ samples at 1 Hz), and 10¹¹ words would exhaust memory.
        let count = min(Self.maximumWords, max(1, Int(clamping: duration * 2.5, to: 0...Self.maximumWords)))
        let slot = duration / Double(count)
        var words: [TimedWord] = []
        var sentenceLength = 0
        var target = Int(generator.next() % 5) + 4
        for index in 0..<count {
            var text = vocabulary[Int(generator.next() % UInt64(vocabulary.count))]
            if sentenceLength == 0 { text = text.prefix(1).uppercased() + text.dropFirst() }
            sentenceLength += 1
            if sentenceLength == target || index == count - 1 {
                text += "."
                sentenceLength = 0
                target = Int(generator.next() % 5) + 4
            }
            words.append((text, Double(index) * slot, Double(index) * slot + slot * 0.9))
        }
        return segments(from: words)
    }

    /// A stable per-word confidence in 0.80...0.99.
    static func probability(for word: String) -> Double {
        let hash = word.unicodeScalars.reduce(UInt64(1_469_598_103_934_665_603)) { ($0 ^ UInt64($1.value)) &* 1_099_511_628_211 }
        // One division, so the value prints with at most four decimals (0.8 + x/10000 would print 0.8946000000000001).
        return Double(8000 + hash % 1900) / 10000
    }
}
