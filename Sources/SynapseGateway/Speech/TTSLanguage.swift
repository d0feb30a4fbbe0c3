import SynapseCore

/// A language Chatterbox's multilingual model speaks (`GET /tts/languages`).
struct TTSLanguage: Sendable, Equatable {
    /// ISO 639-1 code, as Chatterbox's `SUPPORTED_LANGUAGES` spells it.
    var code: String
    var name: String

    /// The 23 languages of `chatterbox.mtl_tts.SUPPORTED_LANGUAGES`, by code. The Turbo model
    /// Synapse runs speaks English and ignores `language`; the gateway still validates it so a
    /// request that works today keeps working on the multilingual model.
    static let all: [TTSLanguage] = [
        .init(code: "ar", name: "Arabic"), .init(code: "da", name: "Danish"), .init(code: "de", name: "German"),
        .init(code: "el", name: "Greek"), .init(code: "en", name: "English"), .init(code: "es", name: "Spanish"),
        .init(code: "fi", name: "Finnish"), .init(code: "fr", name: "French"), .init(code: "he", name: "Hebrew"),
        .init(code: "hi", name: "Hindi"), .init(code: "it", name: "Italian"), .init(code: "ja", name: "Japanese"),
        .init(code: "ko", name: "Korean"), .init(code: "ms", name: "Malay"), .init(code: "nl", name: "Dutch"),
        .init(code: "no", name: "Norwegian"), .init(code: "pl", name: "Polish"), .init(code: "pt", name: "Portuguese"),
        .init(code: "ru", name: "Russian"), .init(code: "sv", name: "Swedish"), .init(code: "sw", name: "Swahili"),
        .init(code: "tr", name: "Turkish"), .init(code: "zh", name: "Chinese"),
    ]

    static let codes: Set<String> = Set(all.map(\.code))

    /// `[{"code":"ar","name":"Arabic"}, …]`.
    static var listing: JSONValue {
        .array(all.map { .object([("code", .string($0.code)), ("name", .string($0.name))]) })
    }
}
