import AsyncHTTPClient
import Foundation
import MockLlama
import NIOHTTP1
import SynapseCore
import SynapseGateway
import SynapseMockKit

/// A gateway in front of a `LlamaRouterMock`, with fast loads and polls, for the LLM route tests.
enum LLMTestKit {
    static let general = "Qwen3-8B-Q4_K_M"
    static let coder = "Qwen2.5-Coder-7B-Instruct-Q4_K_M"

    /// Runs the router mock and a gateway in front of it; the body gets the gateway URL, the
    /// mock's handle and the gateway service.
    static func withRouter<T: Sendable>(
        _ configuration: LlamaRouterMock.Configuration = .init(loadTime: .milliseconds(150)),
        configure: @escaping @Sendable (inout SynapseConfig) -> Void = { _ in },
        _ body: @Sendable (String, MockHandle, GatewayService) async throws -> T
    ) async throws -> T {
        let mock = LlamaRouterMock(configuration: configuration)
        return try await withMockServer(mock, logger: Harness.quietLogger) { router in
            var config = Harness.config(["llama-router": router.port])
            config.models.pollInterval = .milliseconds(50)
            config.models.profilesPath =
                FileManager.default.temporaryDirectory
                .appendingPathComponent("synapse-profiles-\(UUID().uuidString).json").path
            configure(&config)
            let profiles = config.models.profilesPath
            defer { try? FileManager.default.removeItem(atPath: profiles) }
            return try await Harness.withGatewayService(config) { gateway, url in
                try await body(url, router, gateway)
            }
        }
    }

    static func chatBody(model: String?, _ text: String = "Hi", extra: String = "") -> Data {
        let modelMember = model.map { "\"model\": \(JSONValue.quoted($0)), " } ?? ""
        return Data("{\(modelMember)\"messages\": [{\"role\": \"user\", \"content\": \(JSONValue.quoted(text))}]\(extra)}".utf8)
    }

    static let json = [("Content-Type", "application/json")]

    /// The JSON bodies the router received on `path`, in order.
    static func bodies(_ router: MockHandle, path: String) -> [JSONValue] {
        router.journal.entries.filter { $0.path == path }.compactMap { try? JSONValue.parse($0.bodyPrefix) }
    }

    /// `{"detail": …}` of a reply.
    static func detail(_ reply: Reply) -> String? {
        reply.json?["detail"] as? String
    }
}
