import Foundation
import OpenAPIKit
import Testing

@testable import SynapseGateway

/// `/openapi.json` imported by a standard OpenAPI tool: OpenAPIKit decodes it as a 3.1 document
/// without warnings, passes its validation, and dereferences every `$ref`.
@Suite struct OpenAPIKitImportTests {
    /// `synapse serve`'s document, and `synapse dev`'s (with the `/dev/mocks…` routes).
    @Test(arguments: [false, true])
    func openAPIKitImportsAndValidatesTheDocument(development: Bool) throws {
        let expected = APIReference.all.count + (development ? APIReference.development.count : 0)
        let document = try JSONDecoder().decode(
            OpenAPI.Document.self, from: development ? APIReference.developmentDocument : APIReference.document)
        #expect(document.openAPIVersion == .v3_1_0)
        #expect(document.warnings.isEmpty, "\(document.warnings.map(\.description))")
        try document.validate()
        let resolved = try document.locallyDereferenced()
        let operations = resolved.paths.values.flatMap(\.endpoints)
        #expect(operations.count == expected)
        for endpoint in operations {
            #expect(!endpoint.operation.responses.isEmpty)
        }
        #expect(Set(document.allOperationIds).count == expected)
    }

    /// The checks above can fail: with a reference to a schema that does not exist, or with two
    /// operations sharing an id, the document no longer passes them.
    @Test func aBrokenDocumentDoesNotPass() throws {
        func broken(_ change: (inout [String: Any]) -> Void) throws -> OpenAPI.Document {
            var json = try #require(try JSONSerialization.jsonObject(with: APIReference.document) as? [String: Any])
            change(&json)
            return try JSONDecoder().decode(OpenAPI.Document.self, from: try JSONSerialization.data(withJSONObject: json))
        }
        func setOperation(_ json: inout [String: Any], _ path: String, _ method: String, _ change: (inout [String: Any]) -> Void) {
            var paths = json["paths"] as? [String: Any] ?? [:]
            var item = paths[path] as? [String: Any] ?? [:]
            var operation = item[method] as? [String: Any] ?? [:]
            change(&operation)
            item[method] = operation
            paths[path] = item
            json["paths"] = paths
        }
        let dangling = try broken { json in
            setOperation(&json, "/health", "get") {
                $0["responses"] = ["200": ["description": "x", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Nowhere"]]]]]
            }
        }
        #expect(throws: (any Error).self) { try dangling.locallyDereferenced() }
        let duplicated = try broken { json in setOperation(&json, "/healthz", "get") { $0["operationId"] = "get_health" } }
        #expect(throws: (any Error).self) { try duplicated.validate() }
    }
}
