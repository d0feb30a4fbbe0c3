import Foundation
import HTTPTypes
import SynapseCore

/// The OpenAPI 3.1 description served at `/openapi.json` and rendered by `/docs` and `/redoc`.
///
/// Written as data, one `APIOperation` per route (the `APIReference+…` files, by tag) over the
/// shared `APISchemas`, and turned into the document here. `OpenAPICoverageTests` holds the
/// operations equal to the routes `GatewayService.makeRoutes()` registers, and
/// `OpenAPIConformanceTests` sends each operation's example to a gateway in front of the mocks
/// and checks the answer against the operation's documented statuses and schemas.
enum APIReference {
    static let all: [APIOperation] = (llm + models + audio + voices + textToSpeech + operations + admin + events + pages).map(withFrontDoorAnswers)

    /// The document as JSON bytes, keys in a readable order (paths in route order).
    static let document: Data = Data(documentJSON(all).bytes())

    /// `synapse dev`'s document: also the `/dev/mocks…` routes only it serves.
    static let developmentDocument: Data = Data(documentJSON(all + development.map(withFrontDoorAnswers)).bytes())

    static func documentJSON(_ operations: [APIOperation]) -> JSONValue {
        var paths: [(String, [(String, JSONValue)])] = []
        for operation in operations {
            let entry = (operation.method.rawValue.lowercased(), json(operation))
            if let index = paths.firstIndex(where: { $0.0 == operation.path }) {
                paths[index].1.append(entry)
            } else {
                paths.append((operation.path, [entry]))
            }
        }
        return .obj(
            ("openapi", .string("3.1.0")),
            (
                "info",
                .obj(
                    ("title", .string("Synapse Gateway")), ("version", .string("2.0.0")),
                    (
                        "description",
                        .string(
                            """
                            One gateway in front of llama.cpp, Chatterbox TTS, faster-whisper, pyannote and DeepFilterNet backends. \
                            Errors the gateway produces itself are `GatewayError` bodies; the LLM and `/models*` routes answer FastAPI's \
                            `{"detail": …}` as the original does; a backend's own errors are passed through.
                            """)
                    )
                )
            ),
            ("servers", .array([.obj(("url", .string("/")), ("description", .string("This gateway")))])),
            (
                "tags",
                .array(
                    APITag.allCases.filter { tag in operations.contains { $0.tag == tag } }.map {
                        .obj(("name", .string($0.rawValue)), ("description", .string($0.description)))
                    })
            ),
            // Client keys (gateway.apiKeys) are optional: without any configured, every route is open.
            ("security", .array([.obj(), .obj(("bearerKey", .array([]))), .obj(("headerKey", .array([])))])),
            ("paths", .object(paths.map { ($0.0, .object($0.1)) })),
            (
                "components",
                .obj(
                    ("schemas", .object(APISchemas.all.map { ($0.0, $0.1.json) })),
                    ("responses", .object(sharedResponses(operations).map { ($0.component ?? "", json($0)) })),
                    (
                        "securitySchemes",
                        .obj(
                            (
                                "bearerKey",
                                .obj(("type", .string("http")), ("scheme", .string("bearer")), ("description", .string("A client key of gateway.apiKeys")))
                            ),
                            (
                                "headerKey",
                                .obj(
                                    ("type", .string("apiKey")), ("in", .string("header")), ("name", .string("X-API-Key")),
                                    ("description", .string("A client key of gateway.apiKeys")))
                            ),
                            ("adminToken", .obj(("type", .string("http")), ("scheme", .string("bearer")), ("description", .string("SYNAPSE_ADMIN_TOKEN"))))
                        )
                    )
                )
            )
        )
    }

    /// The shared answers the operations use, each once, in order of first use.
    static func sharedResponses(_ operations: [APIOperation] = all) -> [APIResponse] {
        var seen = Set<String>()
        return operations.flatMap(\.responses).filter { $0.component.map { seen.insert($0).inserted } ?? false }
    }

    /// One operation object.
    static func json(_ operation: APIOperation) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("tags", .array([.string(operation.tag.rawValue)])), ("summary", .string(operation.summary)), ("operationId", .string(operation.operationID)),
        ]
        if let description = operation.description { members.append(("description", .string(description))) }
        if !operation.parameters.isEmpty { members.append(("parameters", .array(operation.parameters.map(json)))) }
        if let body = operation.body { members.append(("requestBody", json(body))) }
        members.append(
            (
                "responses",
                .object(
                    operation.responses.map { response in
                        (String(response.status), response.component.map { .obj(("$ref", .string("#/components/responses/\($0)"))) } ?? json(response))
                    })
            ))
        if operation.tag == .admin {
            members.append(("security", .array([.obj(("adminToken", .array([])))])))
        } else if RequestGate.alwaysOpen.contains(operation.path) {
            members.append(("security", .array([])))
        }
        return .object(members)
    }

    static func json(_ parameter: APIParameter) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("name", .string(parameter.name)), ("in", .string(parameter.location.rawValue)), ("description", .string(parameter.description)),
            ("required", .bool(parameter.required)), ("schema", parameter.schema.json),
        ]
        if let example = parameter.example { members.append(("example", example)) }
        return .object(members)
    }

    static func json(_ body: APIRequestBody) -> JSONValue {
        switch body {
        case .json(let schema, let example, let required):
            return .obj(("required", .bool(required)), ("content", .obj(("application/json", .obj(("schema", schema.json), ("example", example))))))
        case .multipart(let fields):
            let schema = JSONSchema.object(fields.map { ($0.name, $0.schema) }, required: fields.filter(\.required).map(\.name))
            let encoding: [(String, JSONValue)] = fields.filter(\.isFile).map {
                ($0.name, .obj(("contentType", .string("audio/wav, audio/*, application/octet-stream"))))
            }
            var example: [(String, JSONValue)] = []
            for field in fields { if let value = field.example { example.append((field.name, value)) } }
            var content: [(String, JSONValue)] = [("schema", schema.json), ("encoding", .object(encoding))]
            if !example.isEmpty { content.append(("example", .object(example))) }
            return .obj(("required", .bool(true)), ("content", .obj(("multipart/form-data", .object(content)))))
        }
    }

    static func json(_ response: APIResponse) -> JSONValue {
        var members: [(String, JSONValue)] = [("description", .string(response.description))]
        if !response.headers.isEmpty {
            members.append(("headers", .object(response.headers.map { ($0.name, .obj(("description", .string($0.description)), ("schema", $0.schema.json))) })))
        }
        if !response.content.isEmpty {
            members.append(
                (
                    "content",
                    .object(
                        response.content.map { content in
                            var media: [(String, JSONValue)] = [("schema", content.schema.json)]
                            if let example = content.example { media.append(("example", example)) }
                            if !content.events.isEmpty { media.append(("x-events", .object(content.events.map { ($0.name, $0.data.json) }))) }
                            return (content.mediaType, .object(media))
                        })
                ))
        }
        return .object(members)
    }
}
