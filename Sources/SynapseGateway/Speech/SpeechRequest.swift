import Foundation
import SynapseCore

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

    static func parse(_ bytes: Data) throws -> SpeechRequest {
        let body = try SpeechValidation.object(bytes)
        // Every member's type is checked before any value is judged, in this order.
        let text = try SpeechValidation.string(body, "text")
        let voiceID = try SpeechValidation.string(body, "voice_id").flatMap { $0.isEmpty ? nil : $0 }
        let language = try SpeechValidation.string(body, "language")
        let speed = try SpeechValidation.number(body, "speed")
        let split = try SpeechValidation.bool(body, "split_sentences")
        return SpeechRequest(
            text: try SpeechValidation.text(text), voiceID: voiceID,
            language: try SpeechValidation.language(language), speed: try SpeechValidation.speed(speed),
            splitSentences: split ?? true)
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

    static func parse(_ bytes: Data) throws -> InterpolationRequest {
        let body = try SpeechValidation.object(bytes)
        let text = try SpeechValidation.string(body, "text")
        var voices: [(id: String?, weight: Double?)]?
        if let items = try SpeechValidation.array(body, "voices") {
            voices = []
            for (index, item) in items.enumerated() {
                let path = "voices[\(index)]"
                guard item.objectValue != nil else { throw GatewayError.invalidVoiceInput("'\(path)' must be an object") }
                voices?.append((try SpeechValidation.string(item, "voice_id", path: path), try SpeechValidation.number(item, "weight", path: path)))
            }
        }
        let language = try SpeechValidation.string(body, "language")
        let speed = try SpeechValidation.number(body, "speed")
        guard let voices, (2...5).contains(voices.count) else {
            throw GatewayError.invalidVoiceInput("'voices' must list 2-5 {voice_id, weight} objects")
        }
        var weighted: [Weighted] = []
        for (index, voice) in voices.enumerated() {
            guard let id = voice.id, !id.isEmpty else { throw GatewayError.invalidVoiceInput("voices[\(index)].voice_id is required") }
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
            text: try SpeechValidation.text(text), voices: weighted,
            language: try SpeechValidation.language(language), speed: try SpeechValidation.speed(speed))
    }
}

/// Field rules shared by the TTS request bodies; each failure is a 400 naming the field.
enum SpeechValidation {
    static let textLength = 1...5000
    static let speedRange = 0.5...2.0

    /// The body as a JSON object; anything else is a 400.
    static func object(_ bytes: Data) throws -> JSONValue {
        guard let body = try? JSONValue.parse(bytes), body.objectValue != nil else {
            throw GatewayError.invalidVoiceInput("The request body must be a JSON object")
        }
        return body
    }

    /// Member `key` of `object` when it is a string; nil when absent or null; else a 400 naming
    /// `path.key` (or `key`).
    static func string(_ object: JSONValue, _ key: String, path: String? = nil) throws -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw mismatch(key, path, "a string")
        }
    }

    /// Member `key` as a number (integers included), as `string(_:_:path:)` treats strings.
    static func number(_ object: JSONValue, _ key: String, path: String? = nil) throws -> Double? {
        switch object[key] {
        case nil, .null?: return nil
        case let value? where value.isNumber: return value.doubleValue
        default: throw mismatch(key, path, "a number")
        }
    }

    /// Member `key` as a boolean, as `string(_:_:path:)` treats strings.
    static func bool(_ object: JSONValue, _ key: String) throws -> Bool? {
        switch object[key] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        default: throw mismatch(key, nil, "true or false")
        }
    }

    /// Member `key` as an array, as `string(_:_:path:)` treats strings.
    static func array(_ object: JSONValue, _ key: String) throws -> [JSONValue]? {
        switch object[key] {
        case nil, .null?: return nil
        case .array(let items)?: return items
        default: throw mismatch(key, nil, "an array")
        }
    }

    private static func mismatch(_ key: String, _ path: String?, _ expected: String) -> GatewayError {
        GatewayError.invalidVoiceInput("'\(path.map { "\($0).\(key)" } ?? key)' must be \(expected)")
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
}
