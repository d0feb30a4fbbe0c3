import AsyncHTTPClient
import Foundation
import Hummingbird
import MockLlama
import NIOHTTP1
import SynapseCore
import SynapseGateway
import SynapseMockKit
import SynapseResilience
import Synchronization
import Testing

/// `POST /v1/chat/completions` loads its model first, picks `auto`, and fails as the original.
@Suite struct ChatModelManagementTests {
    @Test func firstChatOnAFreshRouterLoadsTheModelAndAnswers() async throws {
        try await LLMTestKit.withRouter { gateway, router, _ in
            try await Harness.withClient { client in
                let reply = try await client.send(
                    .POST, gateway + "/v1/chat/completions", headers: LLMTestKit.json,
                    body: LLMTestKit.chatBody(model: LLMTestKit.general))
                #expect(reply.status == 200, "\(reply.text)")
                #expect(reply.header("X-Synapse-Model") == LLMTestKit.general)
                #expect(reply.header("X-Synapse-Model-Reason") == "explicit")
                #expect((reply.json?["choices"] as? [Any])?.isEmpty == false)
                let loads = LLMTestKit.bodies(router, path: "/models/load")
                #expect(loads.map { $0["model"]?.stringValue } == [LLMTestKit.general])
                // A second chat finds it loaded: no second load.
                let again = try await client.send(
                    .POST, gateway + "/v1/chat/completions", headers: LLMTestKit.json,
                    body: LLMTestKit.chatBody(model: LLMTestKit.general))
                #expect(again.status == 200)
                #expect(LLMTestKit.bodies(router, path: "/models/load").count == 1)
            }
        }
    }

    @Test func streamingChatLoadsFirstToo() async throws {
        try await LLMTestKit.withRouter { gateway, _, _ in
            try await Harness.withClient { client in
                let reply = try await client.send(
                    .POST, gateway + "/v1/chat/completions", headers: LLMTestKit.json,
                    body: LLMTestKit.chatBody(model: LLMTestKit.coder, extra: ", \"stream\": true"))
                #expect(reply.status == 200)
                #expect(reply.header("Content-Type")?.hasPrefix("text/event-stream") == true)
                #expect(reply.text.hasSuffix("data: [DONE]\n\n"))
            }
        }
    }

    @Test(
        arguments: [
            (nil, "Hi there", LLMTestKit.general, "policy-general"),
            (" AUTO ", "fix this python bug", LLMTestKit.coder, "policy-coder"),
            ("synapse:auto", "Write a haiku about autumn", LLMTestKit.general, "policy-general"),
            ("Synapse-Auto", "my Dockerfile fails", LLMTestKit.coder, "policy-coder"),
            ("", "explain the class system of Victorian England", LLMTestKit.coder, "policy-coder"),
        ] as [(String?, String, String, String)])
    func autoPicksTheOriginalsModel(model: String?, text: String, expected: String, reason: String) async throws {
        try await LLMTestKit.withRouter { gateway, router, _ in
            try await Harness.withClient { client in
                let reply = try await client.send(
                    .POST, gateway + "/v1/chat/completions", headers: LLMTestKit.json,
                    body: LLMTestKit.chatBody(model: model, text))
                #expect(reply.status == 200, "\(reply.text)")
                #expect(reply.header("X-Synapse-Model") == expected)
                #expect(reply.header("X-Synapse-Model-Reason") == reason)
                #expect(LLMTestKit.bodies(router, path: "/v1/chat/completions").last?["model"]?.stringValue == expected)
            }
        }
    }

    @Test(arguments: [
        ("", "Request body is required"),
        ("{'model': 1}", "Invalid JSON body: Expecting property name enclosed in double quotes"),
        ("[1, 2]", "JSON body must be an object"),
        ("{\"model\": \"nope\", \"messages\": []}", "Model 'nope' is not available in llama-router /models"),
    ])
    func badRequestsGetTheOriginalsDetail(body: String, detail: String) async throws {
        try await LLMTestKit.withRouter { gateway, router, _ in
            try await Harness.withClient { client in
                let reply = try await client.send(.POST, gateway + "/v1/chat/completions", headers: LLMTestKit.json, body: Data(body.utf8))
                #expect(reply.status == 400)
                #expect(LLMTestKit.detail(reply) == detail)
                #expect(LLMTestKit.bodies(router, path: "/models/load").isEmpty)
            }
        }
    }

    @Test func aLoadThatFailsIs502AndLeavesTheBreakerAlone() async throws {
        let configuration = LlamaRouterMock.Configuration(models: [.init(id: "broken", failsToLoad: true)], loadTime: .milliseconds(100))
        try await LLMTestKit.withRouter(configuration) { gateway, _, service in
            try await Harness.withClient { client in
                let reply = try await client.send(
                    .POST, gateway + "/v1/chat/completions", headers: LLMTestKit.json,
                    body: LLMTestKit.chatBody(model: "broken"))
                #expect(reply.status == 502)
                #expect(LLMTestKit.detail(reply) == "llama-router reported failed load for 'broken'")
                let breaker = try #require(service.breakers.snapshots[BackendID("llama-router")!])
                #expect(breaker.state == .closed)
                #expect(breaker.consecutiveFailures == 0)
            }
        }
    }

    @Test func aLoadThatNeverFinishesIs504AtTheLoadTimeout() async throws {
        try await LLMTestKit.withRouter(.init(loadTime: .seconds(3600)), configure: { $0.models.loadTimeout = .seconds(1) }) { gateway, _, _ in
            try await Harness.withClient { client in
                let reply = try await client.send(
                    .POST, gateway + "/v1/chat/completions", headers: LLMTestKit.json,
                    body: LLMTestKit.chatBody(model: LLMTestKit.general))
                #expect(reply.status == 504)
                #expect(LLMTestKit.detail(reply) == "Timed out waiting for model '\(LLMTestKit.general)' to load")
            }
        }
    }

    @Test func aRefusedLoadIs502WithTheRoutersStatus() async throws {
        try await LLMTestKit.withRouter { gateway, router, _ in
            try await router.inject(FaultRule(.status(code: 500), match: RequestMatch(route: "/models/load")))
            try await Harness.withClient { client in
                let reply = try await client.send(
                    .POST, gateway + "/v1/chat/completions", headers: LLMTestKit.json,
                    body: LLMTestKit.chatBody(model: LLMTestKit.general))
                #expect(reply.status == 502)
                #expect(LLMTestKit.detail(reply) == "llama-router failed to load '\(LLMTestKit.general)' (status 500)")
            }
        }
    }

    @Test func aPlainOpenAIServerIsTreatedAsHavingEveryModelLoaded() async throws {
        let chats = Mutex(0)
        try await Harness.withUpstream({ router in
            // A `/models` list without a router's `status`: nothing to load.
            router.get("/models") { _, _ in #"{"object":"list","data":[{"id":"plain-model","object":"model"}]}"# }
            router.post("/models/load") { _, _ -> String in
                Issue.record("a plain server must not be asked to load")
                return "{}"
            }
            router.post("/v1/chat/completions") { _, _ -> String in
                chats.withLock { $0 += 1 }
                return #"{"object":"chat.completion","choices":[]}"#
            }
        }) { port in
            try await Harness.withGateway(Harness.config(["llama-router": port])) { gateway in
                try await Harness.withClient { client in
                    let reply = try await client.send(
                        .POST, gateway + "/v1/chat/completions", headers: LLMTestKit.json,
                        body: LLMTestKit.chatBody(model: "any-model"))
                    #expect(reply.status == 200)
                    #expect(reply.header("X-Synapse-Model") == "any-model")
                }
            }
        }
        #expect(chats.withLock { $0 } == 1)
    }

    @Test func aRouterThatIsDownFailsFastWithTheUsual503() async throws {
        let port = try await Harness.deadPort()
        var config = Harness.config(["llama-router": port])
        config.backends[0].retry.delays = [.zero, .zero]
        try await Harness.withGateway(config) { gateway in
            try await Harness.withClient { client in
                let started = ContinuousClock.now
                let reply = try await client.send(
                    .POST, gateway + "/v1/chat/completions", headers: LLMTestKit.json,
                    body: LLMTestKit.chatBody(model: "auto"))
                #expect(reply.status == 503)
                #expect(reply.errorCode == "backend_unavailable")
                #expect(reply.header("X-Synapse-Attempts") == "3")
                // No 45 s of re-listing as in the original: three refused connections, no delays.
                // Milliseconds when the machine is quiet; 15 s was seen with the whole suite and
                // three builds sharing two cores, so the bound only separates "no re-listing" from 45 s.
                #expect(ContinuousClock.now - started < .seconds(30))
            }
        }
    }

    @Test func anUnconfiguredRouterIsTheOriginals503() async throws {
        let embed = try await Harness.deadPort()
        try await Harness.withGateway(Harness.config(["llama-embed": embed])) { gateway in
            try await Harness.withClient { client in
                let reply = try await client.send(
                    .POST, gateway + "/v1/chat/completions", headers: LLMTestKit.json,
                    body: LLMTestKit.chatBody(model: "auto"))
                #expect(reply.status == 503)
                #expect(LLMTestKit.detail(reply) == "Backend 'llama-router' is not configured")
            }
        }
    }

    @Test func chatsForTwoModelsAreSerialisedAndAllAnswer() async throws {
        try await LLMTestKit.withRouter { gateway, router, _ in
            try await Harness.withClient { client in
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<8 {
                        let model = index.isMultiple(of: 2) ? LLMTestKit.general : LLMTestKit.coder
                        group.addTask {
                            try await client.send(
                                .POST, gateway + "/v1/chat/completions", headers: LLMTestKit.json,
                                body: LLMTestKit.chatBody(model: model)
                            ).status
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses == Array(repeating: 200, count: 8))
                // Loads never overlap: each load request comes after the previous model reported loaded.
                let loads = router.journal.entries.filter { $0.path == "/models/load" }
                #expect(loads.count >= 2)
                #expect(loads.count <= 8)
            }
        }
    }
}
