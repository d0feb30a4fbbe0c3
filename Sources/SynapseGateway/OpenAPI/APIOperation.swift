import HTTPTypes
import NIOCore
import SynapseCore

/// One route of the gateway as `/openapi.json` describes it: the same method and path the route
/// table registers (`RouteTable.registeredRoutes`; a test holds the two lists equal), its
/// parameters, request body and every answer it gives.
struct APIOperation: Sendable {
    var method: HTTPRequest.Method
    /// As registered: `/voices/{voice_id}`.
    var path: String
    var tag: APITag
    var summary: String
    var description: String?
    var parameters: [APIParameter] = []
    var body: APIRequestBody?
    var responses: [APIResponse]

    /// `GET /voices/{voice_id}`: how pages and tests name an operation.
    var name: String { "\(method.rawValue) \(path)" }

    /// `voices.get` style id, unique per method and path: `get_voices_voice_id`.
    var operationID: String {
        let words = path.split(separator: "/").map { $0.filter { $0.isLetter || $0.isNumber || $0 == "_" } }.filter { !$0.isEmpty }
        return ([method.rawValue.lowercased()] + words).joined(separator: "_")
    }
}

/// The groups of the reference, in the order the pages show them.
enum APITag: String, Sendable, CaseIterable {
    case llm = "LLM"
    case models = "Model management"
    case speechToText = "Speech-to-text"
    case speakers = "Speakers"
    case audio = "Audio"
    case voices = "Voices"
    case textToSpeech = "Text-to-speech"
    case operations = "Operations"
    case admin = "Admin"
    case events = "Events"
    case pages = "Pages"
    case development = "Development"

    var description: String {
        switch self {
        case .llm: "OpenAI-compatible routes of the llama.cpp backends (llama-router, llama-embed)."
        case .models: "The router's models and the gateway's per-model profiles."
        case .speechToText: "faster-whisper (whisper-stt): multipart uploads, streamed through."
        case .speakers: "pyannote (pyannote-speaker): diarization and verification."
        case .audio: "DeepFilterNet (deepfilter-audio): denoising and format conversion."
        case .voices: "The gateway's voice library: cloned voices made of WAV references."
        case .textToSpeech: "Chatterbox (chatterbox-tts), with the gateway's voices."
        case .operations: "Health, readiness, metrics and the original's route listing."
        case .admin: "Breakers and recording. Authorization: Bearer <SYNAPSE_ADMIN_TOKEN> (or loopback with --insecure-local-admin)."
        case .events: "Live server-sent event feeds."
        case .pages: "The dashboard, this reference and the document itself."
        case .development: "synapse dev only: the mocks' control API under the gateway's origin (the dashboard's fault panel)."
        }
    }
}

/// A path, query or header parameter.
struct APIParameter: Sendable {
    enum Location: String, Sendable { case path, query, header }

    var name: String
    var location: Location
    var description: String
    var schema: JSONSchema = .string
    var required = false
    var example: JSONValue?

    static func path(_ name: String, _ description: String, example: String) -> APIParameter {
        APIParameter(name: name, location: .path, description: description, required: true, example: .string(example))
    }

    static func query(_ name: String, _ description: String, schema: JSONSchema = .string, example: JSONValue? = nil) -> APIParameter {
        APIParameter(name: name, location: .query, description: description, schema: schema, example: example)
    }

    static func header(_ name: String, _ description: String, example: String? = nil) -> APIParameter {
        APIParameter(name: name, location: .header, description: description, example: example.map(JSONValue.string))
    }
}

/// A request body: a JSON document or a multipart form.
enum APIRequestBody: Sendable {
    /// `application/json` with its schema and a working example.
    case json(JSONSchema, example: JSONValue, required: Bool = true)
    /// `multipart/form-data`: file parts (`format: binary`) and text parts.
    case multipart([FormField])

    struct FormField: Sendable {
        var name: String
        var schema: JSONSchema
        var required: Bool
        /// Several files under one name (`files` of `POST /voices`).
        var repeated = false
        /// Text fields: a value the example form sends.
        var example: JSONValue?

        static func file(_ name: String, _ description: String, required: Bool = true, repeated: Bool = false) -> FormField {
            let file = JSONSchema.binary.described(description)
            return FormField(name: name, schema: repeated ? .array(of: file, minItems: 1, maxItems: 10) : file, required: required, repeated: repeated)
        }

        static func text(_ name: String, _ schema: JSONSchema, required: Bool = false, example: JSONValue? = nil) -> FormField {
            FormField(name: name, schema: schema, required: required, example: example)
        }

        var isFile: Bool { schema.json["format"] == .string("binary") || schema.json["items"]?["format"] == .string("binary") }
    }
}

/// One status an operation answers, with each media type it may come as.
struct APIResponse: Sendable {
    var status: Int
    var description: String
    var content: [Content] = []
    var headers: [(name: String, description: String, schema: JSONSchema)] = []
    /// Set for an answer many operations share: written once in `components/responses` under
    /// this name and referenced from each.
    var component: String?

    struct Content: Sendable {
        var mediaType: String
        var schema: JSONSchema
        var example: JSONValue?
        /// For `text/event-stream`: each event name (`message` when unnamed) with the schema of its
        /// JSON `data:`, written as the `x-events` extension.
        var events: [(name: String, data: JSONSchema)] = []
    }

    static func json(_ status: Int, _ description: String, _ schema: JSONSchema, example: JSONValue? = nil) -> APIResponse {
        APIResponse(status: status, description: description, content: [Content(mediaType: "application/json", schema: schema, example: example)])
    }

    /// A `text/event-stream` answer: its events, by name, with the schema of their `data:`.
    static func eventStream(_ description: String, status: Int = 200, events: [(name: String, data: JSONSchema)], example: String) -> APIResponse {
        APIResponse(
            status: status, description: description,
            content: [
                Content(
                    mediaType: "text/event-stream", schema: JSONSchema.string.described("Server-sent events"), example: .string(example), events: events)
            ])
    }

    static func audio(_ mediaTypes: [String], _ description: String) -> APIResponse {
        APIResponse(status: 200, description: description, content: mediaTypes.map { Content(mediaType: $0, schema: .binary, example: nil) })
    }

    static func text(_ status: Int, _ mediaType: String, _ description: String, example: String? = nil) -> APIResponse {
        APIResponse(status: status, description: description, content: [Content(mediaType: mediaType, schema: .string, example: example.map(JSONValue.string))])
    }

    /// The gateway's own error envelope (`GatewayError`, body style `envelope`).
    /// The example is the error's own rendering (`GatewayError.body(requestID:)`).
    static func error(_ status: Int, _ description: String, example: GatewayError? = nil) -> APIResponse {
        .json(status, description, .ref("GatewayError"), example: example.flatMap(Self.rendered))
    }

    /// FastAPI's `{"detail": "…"}` (the LLM and `/models*` routes, the recording switch).
    static func detail(_ status: Int, _ description: String, example: GatewayError? = nil) -> APIResponse {
        .json(status, description, .ref("DetailError"), example: example.flatMap(Self.rendered))
    }

    /// An error's body as a client receives it.
    static func rendered(_ error: GatewayError) -> JSONValue? {
        try? JSONValue.parse(Array(error.body(requestID: "9b1f3c2e-5d4a-4c8e-a1f0-7e6d5c4b3a21").readableBytesView))
    }

    /// A backend's own error answer, passed through: FastAPI's 422 validation list, or `{"detail": …}`.
    static func backendValidation(_ description: String = "The backend refused the form (FastAPI validation error, passed through)") -> APIResponse {
        .json(422, description, .ref("HTTPValidationError"))
    }

    /// This response, kept once in `components/responses` as `name`.
    func shared(as name: String) -> APIResponse {
        var copy = self
        copy.component = name
        return copy
    }

    /// This response with a response header.
    func with(header name: String, _ description: String, schema: JSONSchema = .string) -> APIResponse {
        var copy = self
        copy.headers.append((name, description, schema))
        return copy
    }
}
