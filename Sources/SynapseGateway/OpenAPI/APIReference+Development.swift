import HTTPTypes
import SynapseCore

/// `synapse dev`'s own routes (`MockControlProxy`): the mocks' control API under the gateway's
/// origin. Only the development document (`APIReference.developmentDocument`) has them, as only
/// `synapse dev` serves them.
extension APIReference {
    static let mockName = APIParameter.path("name", "A mock of the dev cluster", example: "llama-embed")

    /// The control API's own error envelope (`{"error": {"message", "code"}}`), passed through.
    static func controlError(_ status: Int, _ description: String) -> APIResponse {
        .json(status, description, .object([("error", .object([("message", .string), ("code", .string)], required: ["message", "code"]))]))
    }

    static let development: [APIOperation] = [
        APIOperation(
            method: .get, path: "/dev/mocks", tag: .development, summary: "The mocks, their ports, routes and active faults",
            responses: [
                .json(200, "The mocks", .object([("mocks", .array(of: .anyObject))], required: ["mocks"])),
                .error(502, "The control API did not answer"),
            ]),
        APIOperation(
            method: .get, path: "/dev/mocks/{name}/faults", tag: .development, summary: "A mock's active faults", parameters: [mockName],
            responses: [
                .json(200, "The fault rules", .object([("faults", .array(of: .anyObject))], required: ["faults"])),
                controlError(404, "No such mock"), .error(502, "The control API did not answer"),
            ]),
        APIOperation(
            method: .post, path: "/dev/mocks/{name}/faults", tag: .development, summary: "Inject a fault (README: Mock backends and fault injection)",
            parameters: [mockName],
            body: .json(
                .object([("kind", .string), ("status", .integer(minimum: 100)), ("times", .integer(minimum: 1))], required: ["kind"]),
                example: .obj(("kind", .string("status")), ("status", .int(503)), ("times", .int(2)))),
            responses: [
                .json(201, "The stored rule, with its id", .anyObject), controlError(400, "Not a fault rule"), controlError(404, "No such mock"),
                .error(502, "The control API did not answer"),
            ]),
        APIOperation(
            method: .delete, path: "/dev/mocks/{name}/faults", tag: .development, summary: "Clear a mock's faults (a refusing mock listens again)",
            parameters: [mockName],
            responses: [
                APIResponse(status: 204, description: "Cleared"), controlError(404, "No such mock"), .error(502, "The control API did not answer"),
            ]),
        APIOperation(
            method: .delete, path: "/dev/mocks/{name}/faults/{id}", tag: .development, summary: "Remove one fault",
            parameters: [mockName, .path("id", "A fault rule's id", example: "f1")],
            responses: [
                APIResponse(status: 204, description: "Removed"), controlError(404, "No such mock or fault"),
                .error(502, "The control API did not answer"),
            ]),
        APIOperation(
            method: .get, path: "/dev/mocks/{name}/journal", tag: .development, summary: "What the mock received", parameters: [mockName],
            responses: [.json(200, "The journal", .anyObject), controlError(404, "No such mock"), .error(502, "The control API did not answer")]),
        APIOperation(
            method: .delete, path: "/dev/mocks/{name}/journal", tag: .development, summary: "Clear the mock's journal", parameters: [mockName],
            responses: [
                APIResponse(status: 204, description: "Cleared"), controlError(404, "No such mock"), .error(502, "The control API did not answer"),
            ]),
        APIOperation(
            method: .post, path: "/dev/mocks/{name}/reset", tag: .development, summary: "Clear faults and journal and reset the mock's state",
            parameters: [mockName],
            responses: [
                APIResponse(status: 204, description: "Reset"), controlError(404, "No such mock"), .error(502, "The control API did not answer"),
            ]),
    ]
}
