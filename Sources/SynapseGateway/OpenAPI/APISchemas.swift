import SynapseCore
import SynapseResilience

/// `components/schemas`: the bodies several operations share, each written after the type that
/// produces it (named in its description).
enum APISchemas {
    static let all: [(String, JSONSchema)] = errors + gateway + voices + llm + speech

    // MARK: Errors

    static let errors: [(String, JSONSchema)] = [
        (
            "GatewayError",
            JSONSchema.object(
                [
                    (
                        "error",
                        .object(
                            [
                                ("code", JSONSchema.string.described("Stable, matchable identifier", example: .string("backend_unavailable"))),
                                ("type", JSONSchema.string.described("OpenAI's error class", example: .string("server_error"))),
                                ("message", .string),
                                ("request_id", JSONSchema.string.described("The X-Request-ID of the failed request")),
                                ("backend", JSONSchema.string.described("The backend concerned, when there is one")),
                                ("detail", JSONSchema.string.described("For a backend's error: the start of its body")),
                            ], required: ["code", "type", "message", "request_id"])
                    )
                ], required: ["error"]
            ).described("An error the gateway produces itself (GatewayError), readable by the OpenAI SDKs")
        ),
        (
            "DetailError",
            JSONSchema.object([("detail", .string)], required: ["detail"])
                .described("FastAPI's error body, as the original's LLM, /models* and recording routes answer it")
        ),
        (
            "ValidationError",
            .object(
                [
                    ("loc", .array(of: .oneOf([.string, .integer]))), ("msg", .string), ("type", .string),
                ], required: ["loc", "msg", "type"])
        ),
        (
            "LlamaError",
            JSONSchema.object(
                [("error", .object([("code", .integer), ("message", .string), ("type", .string)], required: ["message"]))], required: ["error"]
            ).described("llama.cpp's error body, passed through")
        ),
        (
            "HTTPValidationError",
            JSONSchema.object([("detail", .oneOf([.array(of: .ref("ValidationError")), .string]))], required: ["detail"])
                .described("A FastAPI backend's 422 (or other error) body, passed through unchanged")
        ),
    ]

    // MARK: The gateway's own bodies

    static let gateway: [(String, JSONSchema)] = [
        (
            "Breaker",
            JSONSchema.object(
                [
                    ("state", .string(oneOf: BreakerState.allCases.map(\.rawValue))),
                    ("consecutive_failures", .integer(minimum: 0)),
                    ("forced", JSONSchema.boolean.described("Held open or closed by an operator")),
                    ("probe_in_flight", .boolean),
                    ("seconds_until_half_open", JSONSchema.number.described("While open: the cooldown left")),
                ], required: ["state", "consecutive_failures", "forced", "probe_in_flight"]
            ).described("A backend's circuit breaker (BreakerSnapshot)")
        ),
        (
            "BreakerTransition",
            .object(
                [
                    ("from", .string(oneOf: BreakerState.allCases.map(\.rawValue))), ("to", .string(oneOf: BreakerState.allCases.map(\.rawValue))),
                    ("reason", .string(oneOf: BreakerTransition.Reason.allCases.map(\.rawValue))),
                ], required: ["from", "to", "reason"])
        ),
        ("BreakerList", .object([("breakers", .map(of: .ref("Breaker")))], required: ["breakers"])),
        (
            "BreakerChange",
            .object(
                [
                    ("backend", .string), ("breaker", .ref("Breaker")),
                    ("transition", JSONSchema.ref("BreakerTransition").described("Absent when the state did not change")),
                ], required: ["backend", "breaker"])
        ),
        (
            "BackendHealth",
            .object(
                [
                    ("status", .string(oneOf: ["healthy", "unhealthy", "unreachable"])),
                    ("latency_ms", .number(minimum: 0)),
                    ("code", JSONSchema.integer.described("The health path's HTTP status")),
                    ("error", JSONSchema.string.described("Why the probe failed")),
                    ("breaker", .ref("Breaker")),
                ], required: ["status", "latency_ms"])
        ),
        (
            "HealthReport",
            JSONSchema.object(
                [
                    ("status", .string(oneOf: ["healthy", "degraded"])), ("backends", .map(of: .ref("BackendHealth"))),
                    ("replica", JSONSchema.string.described("The answering replica (gateway.instanceID: the pod's name)")),
                ],
                required: ["status", "backends"]
            ).described("Every backend probed at its health path, with its breaker")
        ),
        ("Status", .object([("status", .string)], required: ["status"])),
        (
            "ConfigReload",
            .object(
                [
                    ("status", .string(oneOf: ["reloaded"])), ("generation", JSONSchema.integer(minimum: 2).described("1 at start-up, +1 per reload")),
                    ("backends_added", .array(of: .string)), ("backends_removed", .array(of: .string)),
                    ("backends_changed", JSONSchema.array(of: .string).described("New clients, breakers and limits")),
                    ("backends_unchanged", JSONSchema.array(of: .string).described("Their breakers keep their state")),
                    ("restart_required_for", JSONSchema.array(of: .string).described("Settings that differ but apply after a restart")),
                    ("warnings", .array(of: .string)),
                ],
                required: [
                    "status", "generation", "backends_added", "backends_removed", "backends_changed", "backends_unchanged", "restart_required_for", "warnings",
                ])
        ),
        (
            "RecordingStatus",
            .object(
                [
                    ("recording", .boolean), ("dir", .string), ("sample", .number(minimum: 0, maximum: 1)), ("routes", .array(of: .string)),
                    ("redactHeaders", .array(of: .string)), ("entries", .integer(minimum: 0)), ("bytes", .integer(minimum: 0)),
                    ("dropped", .integer(minimum: 0)), ("file", JSONSchema.string.nullable.described("The HAR file being written")),
                ], required: ["recording", "entries", "bytes", "dropped", "file"])
        ),
        (
            "RecordingSettings",
            .object(
                [
                    ("dir", JSONSchema.string.described("Where HAR files go; required when starting")),
                    ("sample", JSONSchema.number(minimum: 0, maximum: 1).described("Share of exchanges recorded")),
                    ("routes", JSONSchema.array(of: .string).described("Path prefixes or routes to record (default all)")),
                    ("redactHeaders", JSONSchema.array(of: .string).described("Headers recorded as [REDACTED]")),
                ])
        ),
        (
            "GatewayEvent",
            JSONSchema.object(
                [
                    ("id", JSONSchema.integer(minimum: 1).described("Increasing; the SSE id")),
                    ("type", .string(oneOf: GatewayEvent.Kind.allCases.map(\.rawValue))),
                    ("ts", .string(format: "date-time")),
                    ("backend", .string),
                    ("from", JSONSchema.string(oneOf: BreakerState.allCases.map(\.rawValue)).described("breaker: the state left")),
                    ("to", JSONSchema.string(oneOf: BreakerState.allCases.map(\.rawValue)).described("breaker: the state entered")),
                    ("reason", JSONSchema.string(oneOf: BreakerTransition.Reason.allCases.map(\.rawValue)).described("breaker: why")),
                    ("attempt", JSONSchema.integer(minimum: 1).described("retry: the attempt that failed")),
                    ("delay_ms", JSONSchema.number.described("retry: the wait before the next attempt")),
                    ("cause", JSONSchema.string.described("retry: what failed")),
                    ("after_ms", JSONSchema.number.described("timeout: how long the request had run")),
                    ("action", JSONSchema.string(oneOf: ["created", "deleted"]).described("voice: what happened")),
                    ("voice_id", JSONSchema.string.described("voice: the voice")),
                    ("method", JSONSchema.string.described("request: the client's method")),
                    ("route", JSONSchema.string.described("request: the route that served it")),
                    ("status", JSONSchema.integer.described("request: the answer's status")),
                    ("duration_ms", JSONSchema.number.described("request: from arrival to the answer's end")),
                    ("overhead_ms", JSONSchema.number.described("request: time spent in the gateway itself")),
                ], required: ["id", "type", "ts"]
            ).described("The data of one GET /events event (GatewayEvent); the members after ts depend on the type")
        ),
        (
            "BackendRoutes",
            JSONSchema.map(
                of: .object(
                    [
                        ("title", .string),
                        (
                            "groups",
                            .array(
                                of: .object(
                                    [
                                        ("title", .string),
                                        ("routes", .array(of: .object([("method", .string), ("path", .string)], required: ["method", "path"]))),
                                    ], required: ["title", "routes"]))
                        ),
                    ], required: ["title", "groups"])
            ).described("The original's route listing, per backend")
        ),
    ]

    // MARK: Voices and TTS

    static let voices: [(String, JSONSchema)] = [
        (
            "Voice",
            JSONSchema.object(
                [
                    ("voice_id", JSONSchema.string.described("12 hex digits", example: .string("3f2a9c1b7d4e"))),
                    ("name", .string),
                    ("created_at", JSONSchema.string(format: "date-time").described("Listed voices only")),
                    ("references_count", .integer(minimum: 1, maximum: 10)),
                    ("references", JSONSchema.array(of: .string).described("File names: ref_001.wav …")),
                ], required: ["voice_id", "name", "references_count", "references"]
            ).described("A voice of the library (VoiceRecord)")
        ),
        ("VoiceDeleted", .object([("status", .string(oneOf: ["deleted"])), ("voice_id", .string)], required: ["status", "voice_id"])),
        ("Language", .object([("code", .string), ("name", .string)], required: ["code", "name"])),
        (
            "SpeechRequest",
            .object(
                [
                    ("text", JSONSchema.string.described("\(SpeechValidation.textLength.lowerBound)–\(SpeechValidation.textLength.upperBound) characters")),
                    ("voice_id", JSONSchema.string.described("A voice of the library; absent: Chatterbox's predefined voice")),
                    ("language", JSONSchema.string.described("A code of GET /tts/languages").defaulting(to: .string("en"))),
                    (
                        "speed",
                        JSONSchema.number(minimum: SpeechValidation.speedRange.lowerBound, maximum: SpeechValidation.speedRange.upperBound).defaulting(
                            to: .double(1))
                    ),
                    ("split_sentences", JSONSchema.boolean.defaulting(to: .bool(true))),
                ], required: ["text"])
        ),
        (
            "InterpolationRequest",
            .object(
                [
                    ("text", .string),
                    (
                        "voices",
                        .array(
                            of: .object([("voice_id", .string), ("weight", .number(minimum: 0, maximum: 1))], required: ["voice_id", "weight"]),
                            minItems: 2, maxItems: 5
                        ).described("Weights greater than 0, summing to 1")
                    ),
                    ("language", .string),
                    ("speed", .number(minimum: SpeechValidation.speedRange.lowerBound, maximum: SpeechValidation.speedRange.upperBound)),
                ], required: ["text", "voices"])
        ),
    ]

    // MARK: LLM

    static let llm: [(String, JSONSchema)] = [
        (
            "ChatCompletionRequest",
            .object(
                [
                    ("model", JSONSchema.string.described("A router model, or auto (chosen by the coding hints)", example: .string("auto"))),
                    (
                        "messages",
                        .array(
                            of: .object(
                                [("role", .string(oneOf: ["system", "user", "assistant", "tool"])), ("content", JSONSchema.string.nullable)],
                                required: ["role"]), minItems: 1)
                    ),
                    ("stream", JSONSchema.boolean.defaulting(to: .bool(false))),
                    ("temperature", .number(minimum: 0, maximum: 2)), ("top_p", .number(minimum: 0, maximum: 1)),
                    ("max_tokens", .integer(minimum: 1)),
                ], required: ["messages"])
        ),
        (
            "ChatCompletion",
            .object(
                [
                    ("id", .string), ("object", .string(oneOf: ["chat.completion"])), ("created", .integer), ("model", .string),
                    (
                        "choices",
                        .array(
                            of: .object(
                                [
                                    ("index", .integer),
                                    ("message", .object([("role", .string), ("content", JSONSchema.string.nullable)], required: ["role"])),
                                    ("finish_reason", JSONSchema.string.nullable),
                                ], required: ["index", "message"]))
                    ),
                    ("usage", .object([("prompt_tokens", .integer), ("completion_tokens", .integer), ("total_tokens", .integer)])),
                ], required: ["id", "object", "model", "choices"])
        ),
        (
            "EmbeddingRequest",
            .object(
                [("model", .string), ("input", .oneOf([.string, .array(of: .string)])), ("encoding_format", .string(oneOf: ["float", "base64"]))],
                required: ["input"])
        ),
        (
            "EmbeddingList",
            .object(
                [
                    ("object", .string(oneOf: ["list"])),
                    (
                        "data",
                        .array(
                            of: .object(
                                [("object", .string(oneOf: ["embedding"])), ("index", .integer), ("embedding", .array(of: .number))],
                                required: ["index", "embedding"]))
                    ),
                    ("model", .string), ("usage", .anyObject),
                ], required: ["data"])
        ),
        (
            "ModelList",
            JSONSchema.object(
                [
                    ("object", .string(oneOf: ["list"])),
                    ("data", .array(of: .object([("id", .string), ("object", .string), ("created", .integer), ("owned_by", .string)], required: ["id"]))),
                ], required: ["object", "data"]
            ).described("OpenAI's model list")
        ),
        (
            "RouterModels",
            JSONSchema.object(
                [
                    (
                        "data",
                        .array(
                            of: .object(
                                [
                                    ("id", .string),
                                    (
                                        "status",
                                        .object([
                                            ("value", JSONSchema.string.described("loaded, loading, unloaded, failed…")),
                                            ("synapse_profile", .anyObject), ("synapse_defaults", .anyObject),
                                        ])
                                    ),
                                ], required: ["id"]))
                    )
                ], required: ["data"]
            ).described("llama-router's model list, profiles attached, split GGUF parts collapsed")
        ),
        (
            "ModelSchema",
            .object(
                [
                    ("model", .string), ("family", .string(oneOf: ModelFamily.allCases.map(\.rawValue))),
                    (
                        "fields",
                        .array(
                            of: .object(
                                [
                                    ("name", .string), ("label", .string), ("type", .string(oneOf: ModelProfileField.Kind.allCases.map(\.rawValue))),
                                    ("choices", .array(of: .string)), ("min", .number), ("max", .number), ("step", .number), ("default", .any),
                                    ("applies_at", .string(oneOf: ModelProfileField.AppliesAt.allCases.map(\.rawValue))), ("description", .string),
                                ], required: ["name", "label", "type", "applies_at"]))
                    ),
                    ("notes", .array(of: .string)),
                ], required: ["model", "family", "fields"])
        ),
        (
            "ModelProfile",
            .object(
                [("model", .string), ("family", .string(oneOf: ModelFamily.allCases.map(\.rawValue))), ("values", .ref("ProfileFields"))],
                required: ["model", "family", "values"])
        ),
        ("ProfileFields", profileFields),
    ]

    /// A profile's fields, from the fields `ModelProfileSchema` defines (every family's).
    static var profileFields: JSONSchema {
        let fields = ModelProfileSchema.baseFields + [ModelProfileSchema.reasoningEffort]
        return JSONSchema.object(
            fields.map { field in
                let schema: JSONSchema
                switch field.kind {
                case .number: schema = .number(minimum: field.min?.doubleValue ?? 0, maximum: field.max?.doubleValue)
                case .integer: schema = .integer(minimum: field.min?.intValue, maximum: field.max?.intValue)
                case .enum: schema = .string(oneOf: field.choices ?? [])
                case .string: schema = .string
                }
                let family = field.name == ModelProfileSchema.reasoningEffort.name ? " gpt-oss models only." : ""
                // Nullable: in a patch (PUT /models/{id}/profile) a null removes the key.
                return (
                    field.name,
                    schema.nullable.described("\(field.label): \(field.description) Applies at \(field.appliesAt.rawValue).\(family)").defaulting(
                        to: field.defaultValue)
                )
            }
        ).described("A model profile's fields (GET /models/{id}/schema lists the ones a model takes); in a patch a null removes a key")
    }

    // MARK: Speech, speakers

    static let speech: [(String, JSONSchema)] = [
        (
            "Segment",
            .object(
                [
                    ("id", .integer), ("text", .string), ("start", .number), ("end", .number),
                    (
                        "words",
                        JSONSchema.array(
                            of: .object(
                                [("word", .string), ("start", .number), ("end", .number), ("probability", .number)], required: ["word", "start", "end"])
                        ).nullable
                    ),
                ], required: ["text", "start", "end"])
        ),
        (
            "Transcription",
            .object(
                [
                    ("text", .string), ("language", .string), ("language_probability", .number), ("duration", .number),
                    ("segments", .array(of: .ref("Segment"))),
                ], required: ["text", "language", "segments"])
        ),
        (
            "LanguageDetection",
            .object(
                [("detected_language", .string), ("probability", .number), ("all_languages", .array(of: .ref("Language")))],
                required: ["detected_language", "probability"])
        ),
        (
            "Diarization",
            .object(
                [
                    ("num_speakers", .integer(minimum: 0)), ("duration", .number),
                    ("segments", .array(of: .object([("speaker", .string), ("start", .number), ("end", .number)], required: ["speaker", "start", "end"]))),
                ], required: ["num_speakers", "segments"])
        ),
        (
            "Verification",
            .object([("is_same_speaker", .boolean), ("similarity_score", .number), ("threshold", .number)], required: ["is_same_speaker", "similarity_score"])
        ),
    ]
}
