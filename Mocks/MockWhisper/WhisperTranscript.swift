import Foundation
import MockAudio
import SynapseCore

/// What faster-whisper returns for one file: segments with word timings, language and duration.
struct WhisperTranscript: Sendable {
    struct Word: Sendable {
        /// The token as Whisper writes it, with its leading space (`" Hello"`).
        var word: String
        var start: Double
        var end: Double
        var probability: Double
    }

    struct Segment: Sendable {
        var id: Int
        /// Stripped segment text.
        var text: String
        var start: Double
        var end: Double
        var words: [Word]
    }

    var segments: [Segment]
    var language: String
    var languageProbability: Double
    /// Input length in seconds.
    var duration: Double

    /// `text`: the stripped segment texts joined by single spaces.
    var text: String { segments.map(\.text).joined(separator: " ") }

    /// The `/transcribe` body, keys in the service's order.
    func json(includeWords: Bool) -> JSONValue {
        .obj(
            ("text", .string(text)), ("language", .string(language)), ("language_probability", .double(languageProbability)),
            ("duration", .double(duration)), ("segments", .array(segments.map { Self.json($0, includeWords: includeWords) })))
    }

    /// One segment object (`id, text, start, end, words`); `words` is null without word timestamps.
    static func json(_ segment: Segment, includeWords: Bool) -> JSONValue {
        let words: JSONValue =
            includeWords && !segment.words.isEmpty
            ? .array(
                segment.words.map {
                    .obj(("word", .string($0.word)), ("start", .double($0.start)), ("end", .double($0.end)), ("probability", .double($0.probability)))
                })
            : .null
        return .obj(
            ("id", .int(segment.id)), ("text", .string(segment.text)), ("start", .double(segment.start)), ("end", .double(segment.end)), ("words", words))
    }

    /// Rounds as Python's `round(x, digits)` does: to the nearest decimal of the exact binary
    /// value (so `round(1.575, 2)` is 1.57), which printf's conversion also does.
    static func round(_ value: Double, digits: Int = 2) -> Double {
        Double(String(format: "%.\(digits)f", value)) ?? value
    }
}
