import Foundation

/// The JSON body of `POST /tts/synthesize` and `POST /tts/stream`, validated.
struct SpeechRequest: Sendable, Equatable {
    /// 1–5000 characters (Unicode scalars, as Python counts).
    var text: String
    /// The library voice to clone; nil for Chatterbox's default voice.
    var voiceID: String?
    /// One of `TTSLanguage.codes`. Default `en`.
    var language: String
    /// 0.5–2.0. Default 1.0; sent to Chatterbox as `speed_factor` only when it differs.
    var speed: Double
    /// Chatterbox's `split_text`. Default true.
    var splitSentences: Bool

    private struct Body: Decodable {
        var text: String?
        var voice_id: String?
        var language: String?
        var speed: Double?
        var split_sentences: Bool?
    }

    static func parse(_ bytes: Data) throws -> SpeechRequest {
        let body = try SpeechValidation.decode(Body.self, from: bytes)
        let voiceID = body.voice_id.flatMap { $0.isEmpty ? nil : $0 }
        return SpeechRequest(
            text: try SpeechValidation.text(body.text), voiceID: voiceID,
            language: try SpeechValidation.language(body.language), speed: try SpeechValidation.speed(body.speed),
            splitSentences: body.split_sentences ?? true)
    }
}

/// The JSON body of `POST /tts/interpolate`, validated.
struct InterpolationRequest: Sendable, Equatable {
    struct Weighted: Sendable, Equatable {
        var voiceID: String
        var weight: Double
    }

    var text: String
    /// 2–5 voices, weights in (0, 1] summing to 1 ± 0.01.
    var voices: [Weighted]
    var language: String
    var speed: Double

    /// The voice Chatterbox clones: the highest weight, the first of equals.
    var primary: Weighted {
        voices.dropFirst().reduce(voices[0]) { best, next in next.weight > best.weight ? next : best }
    }

    private struct Body: Decodable {
        struct Voice: Decodable {
            var voice_id: String?
            var weight: Double?
        }
        var text: String?
        var voices: [Voice]?
        var language: String?
        var speed: Double?
    }

    static func parse(_ bytes: Data) throws -> InterpolationRequest {
        let body = try SpeechValidation.decode(Body.self, from: bytes)
        guard let voices = body.voices, (2...5).contains(voices.count) else {
            throw GatewayError.invalidVoiceInput("'voices' must list 2-5 {voice_id, weight} objects")
        }
        var weighted: [Weighted] = []
        for (index, voice) in voices.enumerated() {
            guard let id = voice.voice_id, !id.isEmpty else { throw GatewayError.invalidVoiceInput("voices[\(index)].voice_id is required") }
            guard let weight = voice.weight, weight > 0, weight <= 1 else {
                throw GatewayError.invalidVoiceInput("voices[\(index)].weight must be greater than 0 and at most 1")
            }
            weighted.append(Weighted(voiceID: id, weight: weight))
        }
        let total = weighted.reduce(0) { $0 + $1.weight }
        guard abs(total - 1) <= 0.01 else {
            throw GatewayError.invalidVoiceInput("Voice weights must sum to 1.0 (got \(String(format: "%.3f", total)))")
        }
        return InterpolationRequest(
            text: try SpeechValidation.text(body.text), voices: weighted,
            language: try SpeechValidation.language(body.language), speed: try SpeechValidation.speed(body.speed))
    }
}

/// Field rules shared by the TTS request bodies; each failure is a 400 naming the field.
enum SpeechValidation {
    static let textLength = 1...5000
    static let speedRange = 0.5...2.0

    static func decode<T: Decodable>(_ type: T.Type, from bytes: Data) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: bytes)
        } catch let DecodingError.typeMismatch(expected, context) {
            throw GatewayError.invalidVoiceInput("'\(path(context.codingPath))' must be \(describe(expected))")
        } catch {
            throw GatewayError.invalidVoiceInput("The request body must be a JSON object")
        }
    }

    static func text(_ text: String?) throws -> String {
        guard let text else { throw GatewayError.invalidVoiceInput("'text' is required") }
        let count = text.unicodeScalars.count
        guard textLength.contains(count) else {
            throw GatewayError.invalidVoiceInput("'text' must be \(textLength.lowerBound)-\(textLength.upperBound) characters (got \(count))")
        }
        return text
    }

    static func language(_ language: String?) throws -> String {
        let language = language ?? "en"
        guard TTSLanguage.codes.contains(language) else {
            throw GatewayError.invalidVoiceInput("Unsupported language '\(language)'; GET /tts/languages lists the 23 supported codes")
        }
        return language
    }

    static func speed(_ speed: Double?) throws -> Double {
        let speed = speed ?? 1
        guard speedRange.contains(speed) else {
            throw GatewayError.invalidVoiceInput("'speed' must be between \(speedRange.lowerBound) and \(speedRange.upperBound) (got \(speed))")
        }
        return speed
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "of another type"
        }
    }
}
