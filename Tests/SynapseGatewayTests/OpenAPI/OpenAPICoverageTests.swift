import Foundation
import HTTPTypes
import Logging
import NIOHTTP1
import SynapseCore
import Testing

@testable import SynapseGateway

/// `/openapi.json` against the router: every route the gateway registers is documented, every
/// documented operation is served, and the document is consistent with itself (references
/// resolve, path parameters are declared, request and response examples fit their schemas).
@Suite struct OpenAPICoverageTests {
    static let document = (try? JSONValue.parse(Array(APIReference.document))) ?? .null

    /// The routes `makeRoutes()` registers for a configuration with all six backends (as
    /// `synapse dev` runs it, with the mocks' control API, when `development`).
    static func registeredRoutes(development: Bool = false) async throws -> [String] {
        var config = Harness.config(
            ["llama-embed": 1, "llama-router": 2, "whisper-stt": 3, "pyannote-speaker": 4, "deepfilter-audio": 5, "chatterbox-tts": 6])
        let library = FileManager.default.temporaryDirectory.appendingPathComponent("synapse-openapi-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: library) }
        config.placeVoiceLibrary(at: library.path)
        let service = GatewayService(config: config, logger: Harness.quietLogger, mockControlURL: development ? "http://127.0.0.1:9" : nil)
        let routes = service.makeRoutes().registeredRoutes.map { "\($0.method.rawValue) \($0.path)" }
        // The service never ran, so its backend client is shut down here.
        await service.pool.shutdown()
        return routes
    }

    /// The operations of the document itself (not the catalogue it is made from).
    static var documentedOperations: [String] { operations(of: document) }

    static func operations(of document: JSONValue) -> [String] {
        let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
        return (document["paths"]?.objectValue ?? []).flatMap { path, item in
            (item.objectValue ?? []).filter { methods.contains($0.0) }.map { "\($0.0.uppercased()) \(path)" }
        }
    }

    @Test func everyRegisteredRouteIsDocumented() async throws {
        let documented = Set(Self.documentedOperations)
        let registered = try await Self.registeredRoutes()
        #expect(registered.count > 40)
        for route in registered {
            #expect(documented.contains(route), "\(route) is served but /openapi.json does not describe it")
        }
    }

    @Test func everyDocumentedOperationIsServed() async throws {
        let registered = Set(try await Self.registeredRoutes())
        for operation in Self.documentedOperations {
            #expect(registered.contains(operation), "/openapi.json describes \(operation), which the router does not serve")
        }
        #expect(Set(Self.documentedOperations).count == Self.documentedOperations.count)
    }

    /// `synapse dev` also serves `/dev/mocks…`, and its document (only its) describes them.
    @Test func theDevelopmentDocumentDescribesExactlyWhatSynapseDevServes() async throws {
        let development = try JSONValue.parse(Array(APIReference.developmentDocument))
        let documented = Set(Self.operations(of: development))
        let registered = Set(try await Self.registeredRoutes(development: true))
        #expect(
            documented == registered, "undocumented: \(registered.subtracting(documented).sorted()); unserved: \(documented.subtracting(registered).sorted())")
        #expect(registered.contains("POST /dev/mocks/{name}/faults"))
        #expect(!Set(Self.documentedOperations).contains("GET /dev/mocks"), "synapse serve does not serve the development routes")
    }

    @Test func theDocumentIsConsistent() throws {
        #expect(Self.document["openapi"]?.stringValue == "3.1.0")
        let checker = SchemaChecker(document: Self.document)
        var operationIDs = Set<String>()
        for operation in APIReference.all {
            let item = try #require(Self.document["paths"]?[operation.path]?[operation.method.rawValue.lowercased()], "\(operation.name)")
            let id = try #require(item["operationId"]?.stringValue)
            #expect(operationIDs.insert(id).inserted, "operationId \(id) is unique")
            // Path parameters: each {name} of the path declared once, and no others.
            let templated = operation.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
            let declared = (item["parameters"]?.arrayValue ?? []).filter { $0["in"]?.stringValue == "path" }.compactMap { $0["name"]?.stringValue }
            #expect(templated.sorted() == declared.sorted(), "\(operation.name): path parameters \(templated) vs declared \(declared)")
            let responses = try #require(item["responses"]?.objectValue, "\(operation.name)")
            #expect(responses.contains { $0.0.hasPrefix("2") }, "\(operation.name) documents a success")
            // Every example fits its schema.
            for (status, response) in responses {
                if let reference = response["$ref"]?.stringValue {
                    #expect(checker.resolve(reference)?["description"] != nil, "\(operation.name) \(status): \(reference) resolves")
                }
                for (mediaType, content) in response["content"]?.objectValue ?? [] {
                    let schema = try #require(content["schema"], "\(operation.name) \(status) \(mediaType) has a schema")
                    if let example = content["example"], mediaType == "application/json" {
                        let problems = checker.problems(example, against: schema)
                        #expect(problems.isEmpty, "\(operation.name) \(status) example: \(problems)")
                    }
                    #expect(checker.problems(.null, against: schema).allSatisfy { !$0.contains("unsupported") && !$0.contains("unresolvable") })
                    for (_, data) in content["x-events"]?.objectValue ?? [] {
                        #expect(checker.problems(.null, against: data).allSatisfy { !$0.contains("unsupported") && !$0.contains("unresolvable") })
                    }
                }
            }
            for (mediaType, content) in item["requestBody"]?["content"]?.objectValue ?? [] {
                let schema = try #require(content["schema"])
                guard let example = content["example"] else { continue }
                if mediaType == "multipart/form-data" {
                    // The example holds the text fields (files cannot be examples): each fits its field.
                    for (name, value) in example.objectValue ?? [] {
                        let field = try #require(schema["properties"]?[name], "\(operation.name): example field \(name) is a form field")
                        let problems = checker.problems(value, against: field)
                        #expect(problems.isEmpty, "\(operation.name) form example \(name): \(problems)")
                    }
                } else {
                    let problems = checker.problems(example, against: schema)
                    #expect(problems.isEmpty, "\(operation.name) request example: \(problems)")
                }
            }
        }
        // Every reusable schema is well-formed and referenced.
        let text = String(decoding: APIReference.document, as: UTF8.self)
        for (name, schema) in Self.document["components"]?["schemas"]?.objectValue ?? [] {
            #expect(
                checker.problems(.null, against: schema).allSatisfy { !$0.contains("unsupported") && !$0.contains("unresolvable") },
                "components/schemas/\(name) uses only supported keywords")
            let used = text.contains("\"#/components/schemas/\(name)\"")
            #expect(used, "components/schemas/\(name) is used")
        }
    }

    @Test func theServedDocumentIsTheCatalogue() async throws {
        try await Harness.withGateway(Harness.config(["llama-embed": try await Harness.deadPort()])) { url in
            try await Harness.withClient { client in
                let reply = try await client.send(.GET, url + "/openapi.json")
                #expect(reply.status == 200)
                #expect(reply.header("Content-Type")?.hasPrefix("application/json") == true)
                #expect(reply.body == APIReference.document)
            }
        }
    }
}
