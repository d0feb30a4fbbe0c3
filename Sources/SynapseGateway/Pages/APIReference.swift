import Foundation
import SynapseCore

/// The OpenAPI 3.1 description served at `/openapi.json` and rendered by `/docs`.
///
/// Written as data (one `Operation` per route) and turned into the OpenAPI document here, so the
/// document cannot drift in shape from one route to the next.
enum APIReference {
    struct Operation {
        var method: String
        var path: String
        var tag: String
        var summary: String
        /// `json`, `multipart` (with its fields) or nil.
        var body: Body?
        /// Status → description.
        var responses: [(Int, String)]

        enum Body {
            case json(example: String)
            case multipart(fields: [(name: String, binary: Bool, required: Bool)])
        }
    }

    static let errors: [(Int, String)] = [
        (400, "Invalid input"), (413, "Body too large"), (415, "Wrong content type"),
        (502, "Backend sent a broken response"), (503, "Backend unavailable or circuit open"), (504, "Deadline exceeded"),
    ]

    static let operations: [Operation] = [
        .init(
            method: "post", path: "/v1/embeddings", tag: "LLM", summary: "OpenAI embeddings (llama-embed)",
            body: .json(example: #"{"model":"mxbai-embed-large","input":"hello"}"#), responses: [(200, "Embedding list")] + errors),
        .init(
            method: "post", path: "/v1/chat/completions", tag: "LLM",
            summary: "OpenAI chat completions (llama-router): the model is loaded first; model auto picks one; SSE when stream is true",
            body: .json(example: #"{"model":"auto","messages":[{"role":"user","content":"Hi"}],"stream":true}"#),
            responses: [
                (200, "Completion, or text/event-stream chunks ending with data: [DONE]; X-Synapse-Model names the model"),
                (400, "Bad body, or a model the router does not list"), (502, "The load failed"),
                (503, "Router unavailable or circuit open"), (504, "The model did not load in time, or the deadline passed"),
            ]),
        .init(
            method: "get", path: "/v1/models", tag: "LLM", summary: "Models of every OpenAI-compatible backend, merged", body: nil,
            responses: [(200, "Model list; X-Synapse-Unavailable-Backends names backends left out")]),
        .init(
            method: "get", path: "/models", tag: "LLM", summary: "Router model states (llama-router), with profiles; split models collapsed", body: nil,
            responses: [(200, "Models with status")] + errors),
        .init(
            method: "post", path: "/models/load", tag: "LLM", summary: "Load a model (asynchronous); other keys are stored as its profile",
            body: .json(example: #"{"model":"Qwen3-8B-Q4_K_M","temperature":0.7}"#), responses: [(200, "Loading started; synapse_defaults")] + errors),
        .init(
            method: "get", path: "/models/{model_id}/schema", tag: "LLM", summary: "The model's profile fields", body: nil,
            responses: [(200, "Fields and notes"), (404, "No such model"), (502, "Router list unavailable")]),
        .init(
            method: "get", path: "/models/{model_id}/profile", tag: "LLM", summary: "The model's stored profile", body: nil,
            responses: [(200, "Values"), (404, "No such model")]),
        .init(
            method: "put", path: "/models/{model_id}/profile", tag: "LLM", summary: "Patch or replace the model's profile",
            body: .json(example: #"{"values":{"temperature":0.3,"system_prompt":"Be brief."},"replace":false}"#),
            responses: [(200, "The resulting values"), (400, "Invalid field or value"), (404, "No such model")]),
        .init(
            method: "post", path: "/models/{model_id}/profile/apply", tag: "LLM", summary: "Apply the profile; with load_model, load the model now",
            body: .json(example: #"{"load_model":true}"#), responses: [(200, "Applied; load outcome in load"), (404, "No such model")]),
        .init(
            method: "post", path: "/models/unload", tag: "LLM", summary: "Unload a model", body: .json(example: #"{"model":"Qwen3-8B-Q4_K_M"}"#),
            responses: [(200, "Unloading")] + errors),
        .init(
            method: "post", path: "/stt/transcribe", tag: "Speech-to-text", summary: "Transcribe audio (whisper-stt)",
            body: .multipart(fields: [("file", true, true), ("language", false, false), ("word_timestamps", false, false)]),
            responses: [(200, "Transcript with segments and words")] + errors),
        .init(
            method: "post", path: "/stt/detect-language", tag: "Speech-to-text", summary: "Detect the spoken language",
            body: .multipart(fields: [("file", true, true)]), responses: [(200, "Detected language")] + errors),
        .init(
            method: "post", path: "/stt/stream", tag: "Speech-to-text", summary: "Transcribe as Server-Sent Events",
            body: .multipart(fields: [("file", true, true), ("language", false, false)]),
            responses: [(200, "text/event-stream: segment events, then done")] + errors),
        .init(
            method: "post", path: "/speakers/diarize", tag: "Speakers", summary: "Who spoke when (pyannote-speaker)",
            body: .multipart(fields: [("file", true, true), ("num_speakers", false, false), ("min_speakers", false, false), ("max_speakers", false, false)]),
            responses: [(200, "Speaker segments")] + errors),
        .init(
            method: "post", path: "/speakers/verify", tag: "Speakers", summary: "Are two recordings the same speaker",
            body: .multipart(fields: [("file1", true, true), ("file2", true, true)]), responses: [(200, "Similarity and verdict")] + errors),
        .init(
            method: "post", path: "/audio/denoise", tag: "Audio", summary: "Denoise (deepfilter-audio); answered as denoised.wav",
            body: .multipart(fields: [("file", true, true)]), responses: [(200, "audio/wav attachment")] + errors),
        .init(
            method: "post", path: "/audio/convert", tag: "Audio", summary: "Convert to wav, mp3, flac or ogg; answered as converted.<format>",
            body: .multipart(fields: [("file", true, true), ("output_format", false, false), ("sample_rate", false, false), ("bitrate", false, false)]),
            responses: [(200, "Audio attachment in the requested format")] + errors),
        .init(method: "get", path: "/voices", tag: "Voices", summary: "List voices, oldest first", body: nil, responses: [(200, "Voices")]),
        .init(
            method: "post", path: "/voices", tag: "Voices", summary: "Create a voice from 1-10 WAV references (each over 5 s)",
            body: .multipart(fields: [("name", false, true), ("files", true, true)]), responses: [(201, "The voice")] + errors),
        .init(
            method: "get", path: "/voices/{voice_id}", tag: "Voices", summary: "One voice", body: nil, responses: [(200, "The voice"), (404, "No such voice")]),
        .init(
            method: "delete", path: "/voices/{voice_id}", tag: "Voices", summary: "Delete a voice", body: nil,
            responses: [(200, "Deleted"), (404, "No such voice")]),
        .init(
            method: "get", path: "/voices/{voice_id}/audio", tag: "Voices", summary: "The voice's first reference WAV, to listen to",
            body: nil, responses: [(200, "audio/wav"), (404, "No such voice")]),
        .init(
            method: "post", path: "/voices/{voice_id}/references", tag: "Voices", summary: "Add references to a voice",
            body: .multipart(fields: [("files", true, true)]), responses: [(200, "The updated voice"), (404, "No such voice")] + errors),
        .init(
            method: "post", path: "/tts/synthesize", tag: "Text-to-speech", summary: "Synthesize speech, optionally in a stored voice",
            body: .json(example: #"{"text":"Hello there","voice_id":"3f2a9c1b7d4e","language":"en","speed":1.0}"#),
            responses: [(200, "audio/wav attachment synapse_tts.wav")] + errors),
        .init(
            method: "post", path: "/tts/stream", tag: "Text-to-speech", summary: "Synthesize, streamed as it is produced",
            body: .json(example: #"{"text":"Hello there"}"#), responses: [(200, "Chunked audio/wav")] + errors),
        .init(
            method: "post", path: "/tts/interpolate", tag: "Text-to-speech", summary: "Weighted voices (synthesizes with the highest-weighted voice)",
            body: .json(example: #"{"text":"Hi","voices":[{"voice_id":"a","weight":0.7},{"voice_id":"b","weight":0.3}]}"#),
            responses: [(200, "audio/wav attachment")] + errors),
        .init(method: "get", path: "/tts/languages", tag: "Text-to-speech", summary: "The 23 Chatterbox languages", body: nil, responses: [(200, "Languages")]),
        .init(
            method: "get", path: "/health", tag: "Operations", summary: "Backend health and breaker states", body: nil,
            responses: [(200, "healthy or degraded")]),
        .init(method: "get", path: "/healthz", tag: "Operations", summary: "Liveness", body: nil, responses: [(200, "Alive")]),
        .init(method: "get", path: "/readyz", tag: "Operations", summary: "Readiness", body: nil, responses: [(200, "Ready"), (503, "Shutting down")]),
        .init(method: "get", path: "/metrics", tag: "Operations", summary: "Prometheus metrics", body: nil, responses: [(200, "Text format")]),
        .init(
            method: "get", path: "/admin/breakers", tag: "Operations",
            summary: "Circuit breakers (admin bearer token, or loopback with --insecure-local-admin)", body: nil,
            responses: [(200, "Breakers"), (401, "Token required"), (403, "Admin API disabled (no token set)")]),
        .init(
            method: "post", path: "/admin/breakers/{backend}/{action}", tag: "Operations",
            summary: "Force a breaker open or closed, or reset it (action: open, close, reset)",
            body: nil, responses: [(200, "The breaker"), (404, "No such backend")]),
        .init(
            method: "get", path: "/dev/mocks", tag: "Development",
            summary: "synapse dev only: the mocks (the control API's GET /mocks, proxied for the dashboard)", body: nil,
            responses: [(200, "Mocks with their routes"), (502, "Control API unavailable")]),
        .init(
            method: "get", path: "/dev/mocks/{name}/faults", tag: "Development", summary: "synapse dev only: a mock's active faults", body: nil,
            responses: [(200, "Faults"), (404, "No such mock")]),
        .init(
            method: "post", path: "/dev/mocks/{name}/faults", tag: "Development", summary: "synapse dev only: inject a fault into a mock",
            body: .json(example: #"{"kind":"status","status":503,"times":2}"#),
            responses: [(201, "The fault, with its id"), (400, "Invalid fault"), (404, "No such mock")]),
        .init(
            method: "delete", path: "/dev/mocks/{name}/faults", tag: "Development", summary: "synapse dev only: clear a mock's faults", body: nil,
            responses: [(204, "Cleared"), (404, "No such mock")]),
        .init(
            method: "delete", path: "/dev/mocks/{name}/faults/{id}", tag: "Development", summary: "synapse dev only: remove one fault", body: nil,
            responses: [(204, "Removed"), (404, "No such mock or fault")]),
        .init(
            method: "get", path: "/dev/mocks/{name}/journal", tag: "Development", summary: "synapse dev only: the requests a mock received",
            body: nil, responses: [(200, "Journal"), (404, "No such mock")]),
        .init(
            method: "delete", path: "/dev/mocks/{name}/journal", tag: "Development", summary: "synapse dev only: empty a mock's journal",
            body: nil, responses: [(204, "Emptied"), (404, "No such mock")]),
        .init(
            method: "post", path: "/dev/mocks/{name}/reset", tag: "Development",
            summary: "synapse dev only: reset a mock (faults, journal, state)", body: nil, responses: [(204, "Reset"), (404, "No such mock")]),
    ]

    /// The OpenAPI document as JSON bytes, keys sorted.
    static let document: Data = {
        var paths: [(String, JSONValue)] = []
        for operation in operations {
            var entry: [(String, JSONValue)] = [("tags", .array([.string(operation.tag)])), ("summary", .string(operation.summary))]
            entry.append(("responses", .object(operation.responses.map { (String($0.0), .obj(("description", .string($0.1)))) })))
            let parameters: [JSONValue] = operation.path.split(separator: "/").filter { $0.hasPrefix("{") }.map {
                .obj(
                    ("name", .string(String($0.dropFirst().dropLast()))), ("in", .string("path")), ("required", .bool(true)),
                    ("schema", .obj(("type", .string("string")))))
            }
            if !parameters.isEmpty { entry.append(("parameters", .array(parameters))) }
            switch operation.body {
            case .json(let example)?:
                let value = (try? JSONValue.parse(example)) ?? .object([])
                entry.append(Self.requestBody("application/json", .obj(("schema", .obj(("type", .string("object")))), ("example", value))))
            case .multipart(let fields)?:
                let properties: [(String, JSONValue)] = fields.map { field in
                    (field.name, field.binary ? .obj(("type", .string("string")), ("format", .string("binary"))) : .obj(("type", .string("string"))))
                }
                let required = fields.filter(\.required).map { JSONValue.string($0.name) }
                let schema = JSONValue.obj(("type", .string("object")), ("properties", .object(properties)), ("required", .array(required)))
                entry.append(Self.requestBody("multipart/form-data", .obj(("schema", schema))))
            case nil: break
            }
            if let index = paths.firstIndex(where: { $0.0 == operation.path }) {
                paths[index].1 = paths[index].1.merged(with: .obj((operation.method, .object(entry))))
            } else {
                paths.append((operation.path, .obj((operation.method, .object(entry)))))
            }
        }
        let document = JSONValue.obj(
            ("openapi", .string("3.1.0")),
            (
                "info",
                .obj(
                    ("title", .string("Synapse Gateway")), ("version", .string("2.0.0")),
                    ("description", .string("One gateway in front of llama.cpp, Chatterbox TTS, faster-whisper, pyannote and DeepFilterNet backends.")))
            ),
            ("paths", .object(paths)))
        return Data(document.sortingKeys().bytes())
    }()

    /// An operation's required `requestBody` with one media type (`content` holds its schema and example).
    private static func requestBody(_ mediaType: String, _ content: JSONValue) -> (String, JSONValue) {
        ("requestBody", .obj(("required", .bool(true)), ("content", .obj((mediaType, content)))))
    }
}
