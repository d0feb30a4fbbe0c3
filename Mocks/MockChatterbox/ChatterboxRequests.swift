/// The JSON body of `POST /tts` (`CustomTTSRequest`), validated as pydantic does.
struct ChatterboxTTSRequest: Sendable {
    var text: String
    var voiceMode: String
    var predefinedVoiceID: String?
    var referenceAudioFilename: String?
    /// nil: the configured default format (`wav`).
    var outputFormat: String?
    var splitText: Bool
    var chunkSize: Int
    var temperature: Double?
    var exaggeration: Double?
    var cfgWeight: Double?
    var speedFactor: Double?
    var seed: Int?
    var language: String?

    /// The request; throws the 422 issues in field order.
    static func validate(_ bytes: [UInt8]) throws(FastAPIValidationFailure) -> ChatterboxTTSRequest {
        var reader = try FastAPIBodyReader.parse(bytes)
        let text = reader.string("text", required: true, minLength: 1)
        let voiceMode = reader.literal("voice_mode", allowed: ["predefined", "clone"])
        let predefined = reader.string("predefined_voice_id")
        let reference = reader.string("reference_audio_filename")
        let format = reader.literal("output_format", allowed: ["wav", "opus", "mp3"], nullable: true)
        let split = reader.bool("split_text")
        let chunkSize = reader.int("chunk_size", ge: 50, le: 500)
        let temperature = reader.float("temperature")
        let exaggeration = reader.float("exaggeration")
        let cfgWeight = reader.float("cfg_weight")
        let seed = reader.int("seed")
        let speed = reader.float("speed_factor")
        let language = reader.string("language")
        guard reader.issues.isEmpty, let text else { throw FastAPIValidationFailure(issues: reader.issues) }
        return ChatterboxTTSRequest(
            text: text, voiceMode: voiceMode ?? "predefined", predefinedVoiceID: predefined,
            referenceAudioFilename: reference, outputFormat: format, splitText: split ?? true,
            chunkSize: chunkSize ?? 120, temperature: temperature, exaggeration: exaggeration, cfgWeight: cfgWeight,
            speedFactor: speed, seed: seed, language: language)
    }
}

/// The JSON body of `POST /v1/audio/speech` (`OpenAISpeechRequest`).
struct ChatterboxSpeechRequest: Sendable {
    var model: String
    var input: String
    var voice: String
    var responseFormat: String
    var speed: Double
    var seed: Int?

    static func validate(_ bytes: [UInt8]) throws(FastAPIValidationFailure) -> ChatterboxSpeechRequest {
        var reader = try FastAPIBodyReader.parse(bytes)
        let model = reader.string("model", required: true)
        let input = reader.string("input", required: true)
        let voice = reader.string("voice", required: true)
        let format = reader.literal("response_format", allowed: ["wav", "opus", "mp3"])
        let speed = reader.float("speed", nullable: false)
        let seed = reader.int("seed")
        guard reader.issues.isEmpty, let model, let input, let voice else { throw FastAPIValidationFailure(issues: reader.issues) }
        return ChatterboxSpeechRequest(
            model: model, input: input, voice: voice, responseFormat: format ?? "wav", speed: speed ?? 1, seed: seed)
    }
}
