import HTTPTypes
import SynapseCore

/// The multipart pass-through routes of `ForwardRoute.catalogue`: speech-to-text, speakers, audio.
/// Forms stream to the backend byte for byte, so every field reaches it intact.
extension APIReference {
    static let audio: [APIOperation] = [
        APIOperation(
            method: .post, path: "/stt/transcribe", tag: .speechToText, summary: "Transcribe audio (whisper-stt)",
            body: .multipart([
                .file("file", "The audio"),
                .text("language", JSONSchema.string.described("A language code; absent: detected"), example: .string("en")),
                .text("word_timestamps", JSONSchema.boolean.defaulting(to: .bool(true)), example: .bool(true)),
            ]),
            responses: [.json(200, "The transcript, with segments (and words)", .ref("Transcription"), example: APIExamples.transcription)]
                + multipartForwardingErrors),
        APIOperation(
            method: .post, path: "/stt/detect-language", tag: .speechToText, summary: "Detect the spoken language",
            body: .multipart([.file("file", "The audio")]),
            responses: [.json(200, "The language and the ranking", .ref("LanguageDetection"), example: APIExamples.languageDetection)]
                + multipartForwardingErrors),
        APIOperation(
            method: .post, path: "/stt/stream", tag: .speechToText, summary: "Transcribe as server-sent events",
            description: "Relayed event by event as the backend writes them: `segment` events (data: a Segment), then `done`.",
            body: .multipart([.file("file", "The audio"), .text("language", .string, example: .string("en"))]),
            responses: [
                .eventStream(
                    "segment events, then done",
                    events: [("segment", .ref("Segment")), ("done", JSONSchema.anyObject.described("{}: the transcription is complete"))],
                    example:
                        "event: segment\r\ndata: {\"id\": 1, \"text\": \"Hello\", \"start\": 0.0, \"end\": 1.2, \"words\": null}\r\n\r\nevent: done\r\ndata: {}\r\n\r\n"
                )
            ]
                + multipartForwardingErrors),
        APIOperation(
            method: .post, path: "/speakers/diarize", tag: .speakers, summary: "Who spoke when (pyannote-speaker)",
            body: .multipart([
                .file("file", "The audio"), .text("num_speakers", .integer(minimum: 1), example: .int(1)),
                .text("min_speakers", .integer(minimum: 1)), .text("max_speakers", .integer(minimum: 1)),
            ]),
            responses: [.json(200, "Speaker segments", .ref("Diarization"), example: APIExamples.diarization)] + multipartForwardingErrors),
        APIOperation(
            method: .post, path: "/speakers/verify", tag: .speakers, summary: "Are two recordings the same speaker",
            body: .multipart([.file("file1", "The first recording"), .file("file2", "The second recording")]),
            responses: [.json(200, "Similarity and verdict", .ref("Verification"), example: APIExamples.verification)] + multipartForwardingErrors),
        APIOperation(
            method: .post, path: "/audio/denoise", tag: .audio, summary: "Denoise (deepfilter-audio)",
            description: "Answered as an attachment, `denoised.wav`.",
            body: .multipart([.file("file", "The audio")]),
            responses: [APIResponse.audio(["audio/wav"], "The denoised audio").with(header: "Content-Disposition", "attachment; filename=denoised.wav")]
                + multipartForwardingErrors),
        APIOperation(
            method: .post, path: "/audio/convert", tag: .audio, summary: "Convert to another format",
            description: "`output_format` is checked before the backend is contacted (400 otherwise); the answer is `converted.<format>`.",
            body: .multipart([
                .file("file", "The audio"),
                .text(
                    "output_format",
                    JSONSchema.string(oneOf: AudioFormat.conversionOutputs.map(\.rawValue)).described("Case-insensitive").defaulting(to: .string("wav")),
                    example: .string("flac")),
                .text("sample_rate", .integer(minimum: 1), example: .int(16000)), .text("bitrate", JSONSchema.string.described("e.g. 128k")),
            ]),
            responses: [
                APIResponse.audio(AudioFormat.conversionOutputs.map(\.mediaType), "The converted audio")
                    .with(header: "Content-Disposition", "attachment; filename=converted.<format>")
            ] + multipartForwardingErrors),
    ]

    /// What a multipart pass-through route may answer besides its backend's success.
    static let multipartForwardingErrors: [APIResponse] =
        [
            .error(400, "A malformed form or an invalid field the gateway checks"), .error(413, "Body over the upload limit"),
            .error(415, "Not multipart/form-data"), .backendValidation(),
        ] + backendErrors
}
