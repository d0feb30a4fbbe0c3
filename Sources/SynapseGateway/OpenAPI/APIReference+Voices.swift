import HTTPTypes
import SynapseCore

/// The voice library (`VoiceRoutes`) and the TTS routes (`SpeechRoutes`).
extension APIReference {
    /// The upload rules the descriptions state, from the type that enforces them.
    private static let limits = VoiceUpload.Limits()

    static let exampleVoice = JSONValue.obj(
        ("voice_id", .string("3f2a9c1b7d4e")), ("name", .string("Narrator")), ("created_at", .string("2026-01-05T09:30:12.345678+00:00")),
        ("references_count", .int(1)), ("references", .array([.string("ref_001.wav")])))

    static let voiceID = APIParameter.path("voice_id", "A voice's id (12 hex digits)", example: "3f2a9c1b7d4e")

    static let voices: [APIOperation] = [
        APIOperation(
            method: .get, path: "/voices", tag: .voices, summary: "List the voices, oldest first",
            responses: [.json(200, "The voices", .array(of: .ref("Voice")), example: .array([exampleVoice])), .error(500, "The library could not be read")]),
        APIOperation(
            method: .post, path: "/voices", tag: .voices,
            summary: "Create a voice from \(limits.fileCount.lowerBound)–\(limits.fileCount.upperBound) WAV references",
            description: """
                Each reference must be a WAV file longer than \(Int(limits.minimumDuration)) s, at most \(limits.maximumFileSize >> 20) MiB. \
                Uploads stream to disk while their WAV header is checked.
                """,
            body: .multipart([
                .text(
                    "name", JSONSchema.string.described("\(limits.nameLength.lowerBound)–\(limits.nameLength.upperBound) characters"), required: true,
                    example: .string("Narrator")),
                .file("files", "WAV references, over 5 s each", repeated: true),
            ]),
            responses: [
                .json(201, "The voice", .ref("Voice")), .error(400, "A missing field, a file that is not a WAV over 5 s, or too many files"),
                .error(413, "A file or the body over its limit"), .error(415, "Not multipart/form-data"), .error(500, "The library could not store it"),
            ]),
        APIOperation(
            method: .get, path: "/voices/{voice_id}", tag: .voices, summary: "One voice", parameters: [voiceID],
            responses: [.json(200, "The voice", .ref("Voice"), example: exampleVoice), .error(404, "No such voice", example: .voiceNotFound("3f2a9c1b7d4e"))]),
        APIOperation(
            method: .get, path: "/voices/{voice_id}/audio", tag: .voices, summary: "The voice's first reference, to listen to",
            description: "The WAV the voice was created with (ref_001.wav), streamed from the library. The gateway's own route (the dashboard's Play).",
            parameters: [voiceID],
            responses: [
                APIResponse.audio(["audio/wav"], "The reference WAV").with(header: "Content-Disposition", "inline; filename=\"<voice_id>.wav\""),
                .error(404, "No such voice", example: .voiceNotFound("3f2a9c1b7d4e")),
            ]),
        APIOperation(
            method: .delete, path: "/voices/{voice_id}", tag: .voices, summary: "Delete a voice", parameters: [voiceID],
            responses: [
                .json(200, "Deleted", .ref("VoiceDeleted"), example: APIExamples.voiceDeleted), .error(404, "No such voice"),
                .error(500, "The library could not delete it"),
            ]),
        APIOperation(
            method: .post, path: "/voices/{voice_id}/references", tag: .voices, summary: "Add references to a voice", parameters: [voiceID],
            body: .multipart([.file("files", "WAV references, over 5 s each", repeated: true)]),
            responses: [
                .json(200, "The updated voice", .ref("Voice")), .error(400, "A file that is not a WAV over 5 s, or too many references"),
                .error(404, "No such voice"), .error(413, "A file or the body over its limit"), .error(415, "Not multipart/form-data"),
                .error(500, "The library could not store it"),
            ]),
    ]

    static let textToSpeech: [APIOperation] = [
        APIOperation(
            method: .post, path: "/tts/synthesize", tag: .textToSpeech, summary: "Synthesize speech, optionally in a library voice",
            description: "Without voice_id: Chatterbox's predefined voice. With one: the gateway's clone flow (the reference is uploaded once, then reused).",
            body: .json(.ref("SpeechRequest"), example: .obj(("text", .string("Hello from Synapse.")), ("language", .string("en")), ("speed", .double(1)))),
            responses: [APIResponse.audio(["audio/wav"], "The speech").with(header: "Content-Disposition", "attachment; filename=synapse_tts.wav")]
                + speechErrors),
        APIOperation(
            method: .post, path: "/tts/stream", tag: .textToSpeech, summary: "Synthesize, streamed as it is produced",
            body: .json(.ref("SpeechRequest"), example: .obj(("text", .string("Streamed speech.")))),
            responses: [APIResponse.audio(["audio/wav"], "Chunked WAV, relayed as Chatterbox produces it")] + speechErrors),
        APIOperation(
            method: .post, path: "/tts/interpolate", tag: .textToSpeech, summary: "Weighted voices (synthesized with the highest-weighted one)",
            description: "Every named voice must exist (404 otherwise), although only the highest-weighted one is used.",
            body: .json(
                .ref("InterpolationRequest"),
                example: .obj(
                    ("text", .string("Hi there.")),
                    (
                        "voices",
                        .array([
                            .obj(("voice_id", .string("3f2a9c1b7d4e")), ("weight", .double(0.7))),
                            .obj(("voice_id", .string("0a1b2c3d4e5f")), ("weight", .double(0.3))),
                        ])
                    ))),
            responses: [APIResponse.audio(["audio/wav"], "The speech").with(header: "Content-Disposition", "attachment; filename=synapse_interpolate.wav")]
                + speechErrors),
        APIOperation(
            method: .get, path: "/tts/languages", tag: .textToSpeech, summary: "The languages Chatterbox speaks",
            responses: [.json(200, "Codes and names", .array(of: .ref("Language")), example: TTSLanguage.listing)]),
    ]

    /// What the TTS routes answer when they do not speak.
    static let speechErrors: [APIResponse] = [
        .error(400, "A body that breaks a rule (the message names the field)"), .error(404, "No such voice"),
        .error(413, "Body over gateway.maxJSONBodySize"), .error(415, "Not application/json"),
        .error(502, "Chatterbox refused or garbled the reference upload or the synthesis"),
        APIResponse.error(503, "Chatterbox unavailable (or its model not loaded), or its circuit open")
            .with(header: "Retry-After", "Seconds until the breaker lets a probe through", schema: .integer),
        .error(504, "No answer within the deadline"),
    ]
}
