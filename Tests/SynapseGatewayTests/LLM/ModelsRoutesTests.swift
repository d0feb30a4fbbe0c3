import AsyncHTTPClient
import Foundation
import MockLlama
import NIOHTTP1
import SynapseCore
import SynapseGateway
import SynapseMockKit
import Testing

/// The original's `/models*` routes, their checks and their `{"detail"}` answers (sheet §2–§4).
@Suite struct ModelsRoutesTests {
    static let model = LLMTestKit.general

    @Test func schemaListsTheFamilysFields() async throws {
        try await LLMTestKit.withRouter { gateway, _, _ in
            try await Harness.withClient { client in
                let reply = try await client.send(.GET, gateway + "/models/\(Self.model)/schema")
                #expect(reply.status == 200)
                #expect(reply.json?["family"] as? String == "qwen")
                let names = (reply.json?["fields"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
                #expect(names == ["system_prompt", "temperature", "top_p", "top_k", "min_p", "repeat_penalty", "max_tokens", "runtime_ctx_size"])
                #expect((reply.json?["notes"] as? [String])?.count == 2)
            }
        }
    }

    @Test func profilesArePatchedReplacedAndReadBack() async throws {
        try await LLMTestKit.withRouter { gateway, _, _ in
            try await Harness.withClient { client in
                let url = gateway + "/models/\(Self.model)/profile"
                let empty = try await client.send(.GET, url)
                #expect(empty.text == #"{"model":"Qwen3-8B-Q4_K_M","family":"qwen","values":{}}"#)
                // Form B (flat): a patch.
                let flat = try await client.send(.PUT, url, headers: LLMTestKit.json, body: Data(#"{"top_k": "12", "temperature": 0.5}"#.utf8))
                #expect(flat.text == #"{"success":true,"model":"Qwen3-8B-Q4_K_M","family":"qwen","values":{"temperature":0.5,"top_k":12}}"#)
                // Form A: values with null removing a key.
                let patched = try await client.send(.PUT, url, headers: LLMTestKit.json, body: Data(#"{"values": {"top_k": null, "max_tokens": 64}}"#.utf8))
                #expect(patched.text == #"{"success":true,"model":"Qwen3-8B-Q4_K_M","family":"qwen","values":{"max_tokens":64,"temperature":0.5}}"#)
                let replaced = try await client.send(.PUT, url, headers: LLMTestKit.json, body: Data(#"{"values": {"top_p": 0.9}, "replace": true}"#.utf8))
                #expect(replaced.text == #"{"success":true,"model":"Qwen3-8B-Q4_K_M","family":"qwen","values":{"top_p":0.9}}"#)
                let reset = try await client.send(.PUT, url, headers: LLMTestKit.json, body: Data(#"{"values": {}, "replace": true}"#.utf8))
                #expect(reset.json?["values"] as? [String: Any] != nil && (reset.json?["values"] as? [String: Any])?.isEmpty == true)
            }
        }
    }

    @Test(arguments: [
        (#"{"temperature": 3}"#, "'temperature' must be <= 2.0"),
        (#"{"top_k": true}"#, "'top_k' must be an integer"),
        (#"{"reasoning_effort": "high"}"#, "Unknown profile field: 'reasoning_effort'"),
        (#"{"values": [1]}"#, "'values' must be an object"),
        ("", "Request body is required"),
        ("nope", "Invalid JSON body: Expecting value"),
        ("[]", "JSON body must be an object"),
    ])
    func badProfileUpdatesAreThe400sOfTheOriginal(body: String, detail: String) async throws {
        try await LLMTestKit.withRouter { gateway, _, _ in
            try await Harness.withClient { client in
                let reply = try await client.send(.PUT, gateway + "/models/\(Self.model)/profile", headers: LLMTestKit.json, body: Data(body.utf8))
                #expect(reply.status == 400)
                #expect(LLMTestKit.detail(reply) == detail)
            }
        }
    }

    @Test func unknownModelsAreNotFoundBeforeTheBodyIsRead() async throws {
        try await LLMTestKit.withRouter { gateway, _, _ in
            try await Harness.withClient { client in
                for (method, path) in [(HTTPMethod.GET, "/schema"), (.GET, "/profile"), (.PUT, "/profile"), (.POST, "/profile/apply")] {
                    let reply = try await client.send(method, gateway + "/models/nope" + path, headers: LLMTestKit.json, body: Data("{bad".utf8))
                    #expect(reply.status == 404)
                    #expect(LLMTestKit.detail(reply) == "Model 'nope' not found")
                }
                let nested = try await client.send(.GET, gateway + "/models/org/model/profile")
                #expect(nested.status == 404)
                #expect(LLMTestKit.detail(nested) == "Not Found")
                let wrongMethod = try await client.send(.GET, gateway + "/models/load")
                #expect(wrongMethod.status == 405)
                #expect(LLMTestKit.detail(wrongMethod) == "Method Not Allowed")
            }
        }
    }

    @Test func applyLoadsTheModelAndReportsAFailedLoadInsideA200() async throws {
        let configuration = LlamaRouterMock.Configuration(
            models: [.init(id: Self.model), .init(id: "broken", failsToLoad: true)], loadTime: .milliseconds(100))
        try await LLMTestKit.withRouter(configuration) { gateway, router, _ in
            try await Harness.withClient { client in
                let applied = try await client.send(
                    .POST, gateway + "/models/\(Self.model)/profile/apply", headers: LLMTestKit.json,
                    body: Data(#"{"load_model": true}"#.utf8))
                #expect(applied.text == #"{"success":true,"model":"Qwen3-8B-Q4_K_M","family":"qwen","values":{},"load":{"requested":true,"success":true}}"#)
                #expect(LLMTestKit.bodies(router, path: "/models/load").count == 1)
                let notRequested = try await client.send(.POST, gateway + "/models/\(Self.model)/profile/apply")
                #expect(notRequested.json?["load"] as? [String: Bool] == ["requested": false, "success": true])
                let failed = try await client.send(
                    .POST, gateway + "/models/broken/profile/apply", headers: LLMTestKit.json,
                    body: Data(#"{"load_model": 1}"#.utf8))
                #expect(failed.status == 200)
                #expect(failed.json?["success"] as? Bool == false)
                let load = failed.json?["load"] as? [String: Any]
                #expect(load?["status_code"] as? Int == 502)
                #expect(load?["detail"] as? String == "llama-router reported failed load for 'broken'")
            }
        }
    }

    @Test func loadStoresProfileFieldsFirstAndAddsTheDefaults() async throws {
        try await LLMTestKit.withRouter { gateway, router, _ in
            try await Harness.withClient { client in
                let loaded = try await client.send(
                    .POST, gateway + "/models/load", headers: LLMTestKit.json,
                    body: Data(#"{"model": " Qwen3-8B-Q4_K_M ", "top_p": 0.9}"#.utf8))
                #expect(loaded.text == #"{"success":true,"synapse_defaults":{"top_p":0.9}}"#)
                #expect(LLMTestKit.bodies(router, path: "/models/load").last?["model"]?.stringValue == Self.model)
                // The router's own refusal passes through; the profile of an unknown id is still stored.
                let unknown = try await client.send(
                    .POST, gateway + "/models/load", headers: LLMTestKit.json,
                    body: Data(#"{"model": "ghost", "top_k": 5}"#.utf8))
                #expect(unknown.status == 404)
                #expect(unknown.json?["error"] != nil)
                let missing = try await client.send(.POST, gateway + "/models/load", headers: LLMTestKit.json, body: Data(#"{"model": " "}"#.utf8))
                #expect(missing.status == 400)
                #expect(LLMTestKit.detail(missing) == "'model' is required and must be a non-empty string")
                let bad = try await client.send(.POST, gateway + "/models/load", headers: LLMTestKit.json, body: Data(#"{"model": "x", "colour": 1}"#.utf8))
                #expect(LLMTestKit.detail(bad) == "Unknown profile field: 'colour'")
            }
        }
    }

    @Test func aContextSizeOutsideAClusterIsAClear503() async throws {
        try await LLMTestKit.withRouter(configure: { $0.models.runtime.serviceAccountDir = "/nonexistent" }) { gateway, router, _ in
            try await Harness.withClient { client in
                let first = try await client.send(
                    .POST, gateway + "/v1/chat/completions", headers: LLMTestKit.json,
                    body: LLMTestKit.chatBody(model: Self.model))
                #expect(first.status == 200)
                let reply = try await client.send(
                    .POST, gateway + "/models/load", headers: LLMTestKit.json,
                    body: Data(#"{"model": "Qwen3-8B-Q4_K_M", "runtime_ctx_size": 8192}"#.utf8))
                #expect(reply.status == 503)
                #expect(
                    LLMTestKit.detail(reply) == "Failed to reconfigure llama-router runtime for 'Qwen3-8B-Q4_K_M': "
                        + "Kubernetes service account token not available; runtime reconfigure is only supported in-cluster.")
                #expect(LLMTestKit.bodies(router, path: "/models/load").count == 1)
                // The same profile stops a chat for the loaded model: the router runs 16384, not 8192.
                let chat = try await client.send(
                    .POST, gateway + "/v1/chat/completions", headers: LLMTestKit.json,
                    body: LLMTestKit.chatBody(model: Self.model))
                #expect(chat.status == 503)
            }
        }
    }

    @Test func modelListsCarryProfilesAndCollapseSplitModels() async throws {
        let parts = (1...3).map { LlamaRouterMock.Model(id: "Big-Model-0000\($0)-of-00003") }
        let configuration = LlamaRouterMock.Configuration(models: [.init(id: Self.model)] + parts, loadTime: .milliseconds(50))
        try await LLMTestKit.withRouter(configuration) { gateway, _, _ in
            try await Harness.withClient { client in
                _ = try await client.send(.PUT, gateway + "/models/\(Self.model)/profile", headers: LLMTestKit.json, body: Data(#"{"temperature": 0.25}"#.utf8))
                let list = try await client.send(.GET, gateway + "/models")
                let items = try #require(list.json?["data"] as? [[String: Any]])
                #expect(items.compactMap { $0["id"] as? String } == [Self.model, "Big-Model-00001-of-00003"])
                let status = items.first?["status"] as? [String: Any]
                #expect(status?["synapse_profile"] as? [String: Double] == ["temperature": 0.25])
                #expect(status?["synapse_defaults"] as? [String: Double] == ["temperature": 0.25])
                let merged = try await client.send(.GET, gateway + "/v1/models")
                let ids = (merged.json?["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
                #expect(ids == [Self.model, "Big-Model-00001-of-00003"])
            }
        }
    }

    @Test func aRouterThatIsDownIsThe503OfTheModelList() async throws {
        let port = try await Harness.deadPort()
        var config = Harness.config(["llama-router": port])
        config.backends[0].retry.delays = []
        try await Harness.withGateway(config) { gateway in
            try await Harness.withClient { client in
                let reply = try await client.send(.GET, gateway + "/models")
                #expect(reply.status == 503)
                #expect(LLMTestKit.detail(reply)?.hasPrefix("llama-router /models unavailable: ") == true)
                let schema = try await client.send(.GET, gateway + "/models/x/schema")
                #expect(schema.status == 502)
            }
        }
    }

    @Test func theOriginalsOtherRoutesAreServed() async throws {
        try await LLMTestKit.withRouter { gateway, _, _ in
            try await Harness.withClient { client in
                let feed = try await client.send(.GET, gateway + "/events/terminal")
                #expect(feed.status == 404)
                #expect(LLMTestKit.detail(feed) == "Terminal feed is disabled (set SYNAPSE_TERMINAL_FEED_MODE=live)")
                let routes = try await client.send(.GET, gateway + "/api/backend-routes")
                #expect(routes.status == 200)
                #expect(routes.text.hasPrefix(#"{"llama-router":{"title":"llama-router","groups":[{"title":"Gateway Routes","routes":[]},"#))
            }
        }
    }
}
