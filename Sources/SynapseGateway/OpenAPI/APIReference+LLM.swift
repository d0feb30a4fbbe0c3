import HTTPTypes
import SynapseCore

/// The LLM routes and model management (`ChatRoute`, `ModelsRoutes`, the embeddings and unload
/// pass-throughs, `GET /v1/models`).
extension APIReference {
    static let modelID = APIParameter.path("id", "A model id the router lists", example: "Qwen3-8B-Q4_K_M")

    static let llm: [APIOperation] = [
        APIOperation(
            method: .post, path: "/v1/chat/completions", tag: .llm, summary: "Chat completions (llama-router)",
            description: """
                OpenAI's chat completions. The gateway loads the model first (`auto` picks one by the coding hints), merges the \
                model's profile defaults, and relays `"stream": true` as server-sent events, chunk by chunk, ending with `data: [DONE]`. \
                `X-Synapse-Model` names the model used.
                """,
            body: .json(
                .ref("ChatCompletionRequest"),
                example: .obj(
                    ("model", .string("auto")), ("messages", .array([.obj(("role", .string("user")), ("content", .string("Hi")))])), ("max_tokens", .int(16)))),
            responses: [
                APIResponse(
                    status: 200, description: "The completion; with stream: chat.completion.chunk events, then data: [DONE]",
                    content: [
                        .init(mediaType: "application/json", schema: .ref("ChatCompletion"), example: APIExamples.completion),
                        .init(
                            mediaType: "text/event-stream", schema: .string,
                            example: .string(
                                "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"},\"index\":0}],\"object\":\"chat.completion.chunk\"}\n\ndata: [DONE]\n\n"),
                            events: [("message", chatChunk)]),
                    ]
                ).with(header: "X-Synapse-Model", "The model that answered"),
                .detail(400, "No body, not JSON, not an object, or a model the router does not list"),
                .error(413, "Body over gateway.maxJSONBodySize"), .error(415, "Not application/json"),
                .detail(502, "The router reported a failed load, or refused it"),
                APIResponse(
                    status: 503, description: "Router unavailable, circuit open, or no llama-router configured",
                    content: [.init(mediaType: "application/json", schema: .oneOf([.ref("GatewayError"), .ref("DetailError")]))]),
                .detail(504, "The model did not load in time, or the deadline passed"),
            ]),
        APIOperation(
            method: .post, path: "/v1/embeddings", tag: .llm, summary: "Embeddings (llama-embed)",
            description: "OpenAI's embeddings, passed through. The JSON body is checked first (400 on an empty or malformed body).",
            body: .json(.ref("EmbeddingRequest"), example: .obj(("model", .string("mxbai-embed-large")), ("input", .string("hello")))),
            responses: [.json(200, "The embeddings", .ref("EmbeddingList"), example: APIExamples.embeddings)] + jsonForwardingErrors),
        APIOperation(
            method: .get, path: "/v1/models", tag: .llm, summary: "Models of every OpenAI-compatible backend, merged",
            description: "Fetched concurrently, de-duplicated by id; a failing backend is left out and named in X-Synapse-Unavailable-Backends.",
            responses: [
                APIResponse.json(200, "The merged list", .ref("ModelList"), example: APIExamples.models)
                    .with(header: "X-Synapse-Unavailable-Backends", "Comma-separated backends whose list could not be fetched")
            ]),
    ]

    static let models: [APIOperation] = [
        APIOperation(
            method: .get, path: "/models", tag: .models, summary: "The router's models, with their profiles",
            description:
                "llama-router's list; models with a profile carry status.synapse_profile and synapse_defaults; split GGUF parts are one entry. The query string is forwarded.",
            responses: [.json(200, "The models", .ref("RouterModels"))] + routerErrors),
        APIOperation(
            method: .post, path: "/models/load", tag: .models, summary: "Load a model (does not wait for it)",
            description:
                "Other members are profile fields: validated and stored first, then the runtime profile, then the router's load. synapse_defaults is added to the answer.",
            body: .json(
                .object([("model", .string)], required: ["model"]).described("The model, plus any profile fields (see ProfileFields)"),
                example: .obj(("model", .string("Qwen2.5-Coder-7B-Instruct-Q4_K_M")), ("temperature", .double(0.7)))),
            responses: [
                .json(200, "The router's answer, with synapse_defaults", .object([("success", .boolean), ("synapse_defaults", .anyObject)])),
                .json(
                    400, "No model or an invalid profile field (FastAPI detail), or the router's refusal, passed through (e.g. already loaded)",
                    .oneOf([.ref("DetailError"), .ref("LlamaError")])),
            ] + routerErrors),
        APIOperation(
            method: .post, path: "/models/unload", tag: .models, summary: "Unload a model (passed through to the router)",
            body: .json(.object([("model", .string)], required: ["model"]), example: .obj(("model", .string("Qwen2.5-Coder-7B-Instruct-Q4_K_M")))),
            responses: [
                .json(200, "The router's answer", .anyObject),
                .json(
                    400, "An empty or malformed body (the gateway's error), or the router's refusal, passed through (e.g. not running)",
                    .oneOf([.ref("GatewayError"), .ref("LlamaError")])),
            ] + jsonForwardingErrors.filter { $0.status != 400 }),
        APIOperation(
            method: .get, path: "/models/{id}/schema", tag: .models, summary: "The profile fields a model takes", parameters: [modelID],
            responses: [
                .json(200, "Fields and notes", .ref("ModelSchema"), example: ModelProfileSchema.document(modelID: "Qwen3-8B-Q4_K_M")),
                .detail(404, "The router does not list the model", example: .modelNotFound("nothing")),
                .detail(502, "The router's list is unavailable"),
            ]),
        APIOperation(
            method: .get, path: "/models/{id}/profile", tag: .models, summary: "A model's stored profile", parameters: [modelID],
            responses: [
                .json(200, "The values", .ref("ModelProfile")), .detail(404, "The router does not list the model"),
                .detail(502, "The router's list is unavailable"),
            ]),
        APIOperation(
            method: .put, path: "/models/{id}/profile", tag: .models, summary: "Patch or replace a model's profile",
            description: "`{\"values\": {…}, \"replace\": bool}` or the fields themselves; in a patch a null removes a key.",
            parameters: [modelID],
            body: .json(
                .object([("values", .ref("ProfileFields")), ("replace", JSONSchema.boolean.defaulting(to: .bool(false)))]),
                example: .obj(("values", .obj(("temperature", .double(0.3)), ("system_prompt", .string("Be brief.")))), ("replace", .bool(false)))),
            responses: [
                .json(
                    200, "The resulting profile",
                    .object(
                        [("success", .boolean), ("model", .string), ("family", .string), ("values", .ref("ProfileFields"))], required: ["success", "values"])),
                .detail(400, "An unknown field or a value out of range"), .detail(404, "The router does not list the model"),
                .detail(500, "The profile could not be stored"), .detail(502, "The router's list is unavailable"),
            ]),
        APIOperation(
            method: .post, path: "/models/{id}/profile/apply", tag: .models, summary: "Apply a model's profile; with load_model, load it now",
            description: "A failed load is reported in `load` inside a 200.",
            parameters: [modelID],
            body: .json(
                .object([("load_model", JSONSchema.boolean.defaulting(to: .bool(false)))]), example: .obj(("load_model", .bool(false))), required: false),
            responses: [
                .json(
                    200, "Applied; the load's outcome in load",
                    .object(
                        [
                            ("success", .boolean), ("model", .string), ("family", .string), ("values", .ref("ProfileFields")),
                            (
                                "load",
                                .object(
                                    [("requested", .boolean), ("success", .boolean), ("status_code", .integer), ("detail", .string)],
                                    required: ["requested", "success"])
                            ),
                        ], required: ["success", "load"])),
                .detail(400, "The body is not a JSON object"), .detail(404, "The router does not list the model"),
                .detail(502, "The router's list is unavailable"),
            ]),
    ]

    /// One `data:` of a streamed chat (the last, `[DONE]`, is not JSON).
    static let chatChunk = JSONSchema.object(
        [
            ("id", .string), ("object", .string(oneOf: ["chat.completion.chunk"])), ("model", .string),
            (
                "choices",
                .array(
                    of: .object([
                        ("index", .integer), ("delta", .object([("role", .string), ("content", JSONSchema.string.nullable)])),
                        ("finish_reason", JSONSchema.string.nullable),
                    ]))
            ),
        ], required: ["choices"]
    ).described("A chat.completion.chunk; the stream ends with data: [DONE], which is not JSON")

    /// What a JSON pass-through route may answer besides its backend's success.
    static let jsonForwardingErrors: [APIResponse] =
        [
            .error(400, "Empty or malformed JSON body", example: .invalidRequest("Request body is not valid JSON")),
            .error(413, "Body over gateway.maxJSONBodySize", example: .payloadTooLarge(limit: 1 << 20)),
            .error(415, "Not application/json", example: .unsupportedMediaType("Expected a JSON body (Content-Type: application/json), got text/plain")),
        ] + backendErrors

    /// What every forwarded call may answer when the backend fails.
    static let backendErrors: [APIResponse] = [
        .error(502, "The backend sent a broken response", example: .badGateway(exampleBackend, reason: "invalid JSON")),
        APIResponse.error(503, "The backend is unavailable, or its circuit breaker is open", example: .circuitOpen(exampleBackend, retryAfter: 12)).with(
            header: "Retry-After", "Seconds until the breaker lets a probe through", schema: .integer),
        .error(504, "The backend did not answer within the route's deadline", example: .upstreamTimeout(exampleBackend, after: .seconds(60))),
    ]

    static let exampleBackend = BackendID("whisper-stt")!

    /// The model routes' failures: FastAPI bodies, or the gateway's when the router cannot be reached.
    static let routerErrors: [APIResponse] = [
        .detail(502, "The router refused the call"),
        APIResponse(
            status: 503, description: "Router unavailable, circuit open, or no llama-router configured",
            content: [.init(mediaType: "application/json", schema: .oneOf([.ref("GatewayError"), .ref("DetailError")]))]),
        .error(504, "The router did not answer in time"),
    ]
}
