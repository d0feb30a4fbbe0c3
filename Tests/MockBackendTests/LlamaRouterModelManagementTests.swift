import Foundation
import MockLlama
import NIOHTTP1
import SynapseCore
import SynapseMockKit
import SynapseMocks
import SynapseTestSupport
import Testing

/// The llama router mock's model management beyond the transcripts: `--models-max` with LRU
/// eviction, the `load_failure` fault, split GGUF shard ids, and the catalogue's router options.
@Suite struct LlamaRouterModelManagementTests {
    static let chat = #"{"model":"%@","messages":[{"role":"user","content":"Hi"}],"max_tokens":1}"#

    static func load(_ base: String, _ id: String, headers: [(String, String)] = []) async throws -> LlamaHTTP.Reply {
        try await LlamaHTTP.post(base + "/models/load", #"{"model":"\#(id)"}"#, headers: headers)
    }

    static func models(_ base: String) async throws -> LlamaHTTP.Reply {
        try await LlamaHTTP.send(base + "/models")
    }

    static func threeModels(modelsMax: Int) -> LlamaRouterMock.Configuration {
        .init(models: ["a", "b", "c"].map { LlamaRouterMock.Model(id: $0) }, loadTime: .seconds(1), modelsMax: modelsMax)
    }

    // MARK: --models-max

    @Test func modelsMaxOneEvictsTheRunningModelBeforeTheNextLoad() async throws {
        let clock = LlamaTestClock()
        let mock = LlamaRouterMock(configuration: Self.threeModels(modelsMax: 1), time: clock.mockTime)
        try await withLlamaServer(mock, time: clock.mockTime) { base in
            #expect(try await LlamaHTTP.send(base + "/props").object["max_instances"] as? Int == 1)
            #expect(try await Self.load(base, "a").status == 200)
            clock.advance(by: .seconds(1))
            #expect(try await Self.load(base, "b").status == 200)
            let models = try await Self.models(base)
            #expect(models.status(of: "a")?["value"] as? String == "unloaded")
            #expect(models.status(of: "a")?["failed"] == nil)
            #expect(models.status(of: "b")?["value"] as? String == "loading")
            // `--models-*` flags never reach a child's argv.
            let args = models.status(of: "b")?["args"] as? [String] ?? []
            #expect(!args.contains("--models-max") && args.contains("--ctx-size"))
        }
    }

    @Test func modelsMaxTwoEvictsTheLeastRecentlyUsedModel() async throws {
        let clock = LlamaTestClock()
        let mock = LlamaRouterMock(configuration: Self.threeModels(modelsMax: 2), time: clock.mockTime)
        try await withLlamaServer(mock, time: clock.mockTime) { base in
            #expect(try await LlamaHTTP.send(base + "/props").object["max_instances"] as? Int == 2)
            _ = try await Self.load(base, "a")
            _ = try await Self.load(base, "b")
            clock.advance(by: .seconds(1))
            #expect(mock.status(of: "a") == "loaded" && mock.status(of: "b") == "loaded")
            // A chat makes `a` the most recently used, though it was loaded first.
            #expect(try await LlamaHTTP.post(base + "/v1/chat/completions", String(format: Self.chat, "a")).status == 200)
            _ = try await Self.load(base, "c")
            #expect(mock.status(of: "a") == "loaded")
            #expect(mock.status(of: "b") == "unloaded")
            #expect(mock.status(of: "c") == "loading")
            // Now `a` is the least recently used of the two running.
            clock.advance(by: .seconds(1))
            _ = try await Self.load(base, "b")
            #expect(mock.status(of: "a") == "unloaded")
            #expect(mock.status(of: "c") == "loaded")
            #expect(mock.status(of: "b") == "loading")
        }
    }

    @Test func modelsMaxZeroNeverEvicts() async throws {
        let clock = LlamaTestClock()
        let mock = LlamaRouterMock(configuration: Self.threeModels(modelsMax: 0), time: clock.mockTime)
        try await withLlamaServer(mock, time: clock.mockTime) { base in
            let props = try await LlamaHTTP.send(base + "/props")
            #expect(props.object["max_instances"] as? Int == 0)
            for id in ["a", "b", "c"] {
                let load = try await Self.load(base, id)
                #expect(load.status == 200)
            }
            clock.advance(by: .seconds(1))
            #expect(["a", "b", "c"].map { mock.status(of: $0) } == ["loaded", "loaded", "loaded"])
        }
    }

    // MARK: load_failure

    @Test func loadFailureFaultFromTheControlAPIMakesLoadsCrashUntilCleared() async throws {
        let clock = LlamaTestClock()
        let configuration = MockCluster.Configuration(only: ["llama-router"], router: .init(loadTime: .seconds(1), modelsMax: 3))
        try await withMockCluster(configuration, time: clock.mockTime) { endpoints in
            let base = try #require(endpoints.mock(named: "llama-router")).baseURL
            let faults = endpoints.controlURL + "/mocks/llama-router/faults"
            #expect(try await LlamaHTTP.send(base + "/props").object["max_instances"] as? Int == 3)
            #expect(try await LlamaHTTP.post(faults, #"{"kind":"load_failure"}"#).status == 201)
            // Other requests are not touched by the fault.
            #expect(try await LlamaHTTP.send(base + "/health").status == 200)
            let load = try await Self.load(base, "Qwen3-8B-Q4_K_M")
            #expect(load.status == 200 && load.text == #"{"success":true}"#)
            #expect(try await Self.models(base).status(of: "Qwen3-8B-Q4_K_M")?["value"] as? String == "loading")
            clock.advance(by: .seconds(1))
            let crashed = try await Self.models(base).status(of: "Qwen3-8B-Q4_K_M")
            #expect(crashed?["value"] as? String == "unloaded")
            #expect(crashed?["failed"] as? Bool == true)
            #expect(crashed?["exit_code"] as? Int == 1)

            #expect(try await LlamaHTTP.send(faults, method: .DELETE).status == 204)
            _ = try await Self.load(base, "Qwen3-8B-Q4_K_M")
            clock.advance(by: .seconds(1))
            let loaded = try await Self.models(base).status(of: "Qwen3-8B-Q4_K_M")
            #expect(loaded?["value"] as? String == "loaded")
            #expect(loaded?["failed"] == nil)
        }
    }

    @Test func loadFailureRuleCountsLoadsNotRequests() async throws {
        let clock = LlamaTestClock()
        try await withMockCluster(.init(only: ["llama-router"], router: .init(loadTime: .seconds(1))), time: clock.mockTime) { endpoints in
            let base = try #require(endpoints.mock(named: "llama-router")).baseURL
            let rule = #"{"kind":"load_failure","times":1,"route":"/models/load"}"#
            #expect(try await LlamaHTTP.post(endpoints.controlURL + "/mocks/llama-router/faults", rule).status == 201)
            // A load that is refused starts nothing, so it does not use the rule up.
            #expect(try await Self.load(base, "no-such-model").status == 404)
            _ = try await Self.load(base, "Qwen3-8B-Q4_K_M")
            clock.advance(by: .seconds(1))
            #expect(try await Self.models(base).status(of: "Qwen3-8B-Q4_K_M")?["failed"] as? Bool == true)
            _ = try await Self.load(base, "Qwen3-8B-Q4_K_M")
            clock.advance(by: .seconds(1))
            #expect(try await Self.models(base).status(of: "Qwen3-8B-Q4_K_M")?["value"] as? String == "loaded")
        }
    }

    @Test func crashedLoadIsStreamedAsUnloadedWithExitCodeOne() async throws {
        let clock = LlamaTestClock()
        let mock = LlamaRouterMock(configuration: .init(loadTime: .seconds(1)), time: clock.mockTime)
        try await withMockServer(mock, time: clock.mockTime) { handle in
            try await handle.inject(.loadFailure)
            let expected = #"{"model":"Qwen3-8B-Q4_K_M","event":"status_change","data":{"status":"unloaded","exit_code":1}}"#
            let stream = try await LlamaHTTP.streamUntil(handle.url("/models/sse"), contains: expected) {
                _ = try await Self.load(handle.baseURL, "Qwen3-8B-Q4_K_M")
                clock.advance(by: .seconds(1))
            }
            #expect(stream.contains(#""data":{"status":"loading"}"#))
            #expect(stream.contains(expected))
            #expect(!stream.contains(#""status":"loaded""#))
        }
    }

    @Test func autoloadThatCrashesAnswersFailedToLoad() async throws {
        let clock = LlamaTestClock()
        let mock = LlamaRouterMock(configuration: .init(loadTime: .seconds(1)), time: clock.mockTime)
        try await withLlamaServer(mock, time: clock.mockTime) { base in
            // The one-off header form of the fault.
            let answer = try await LlamaHTTP.post(
                base + "/v1/chat/completions?autoload=true", String(format: Self.chat, "Qwen3-8B-Q4_K_M"),
                headers: [("X-Mock-Fault", "load_failure")])
            #expect(answer.status == 500)
            #expect(answer.errorMessage == "model name=Qwen3-8B-Q4_K_M failed to load")
            #expect(mock.status(of: "Qwen3-8B-Q4_K_M") == "unloaded")
            // Without the header the next autoload succeeds.
            let again = try await LlamaHTTP.post(base + "/v1/chat/completions?autoload=true", String(format: Self.chat, "Qwen3-8B-Q4_K_M"))
            #expect(again.status == 200)
        }
    }

    // MARK: Split GGUF

    @Test func splitShardsAreListedOneModelPerFileAndOnlyTheFirstLoads() async throws {
        let clock = LlamaTestClock()
        let models = LlamaRouterMock.Model.split("Big-Model", parts: 3) + [LlamaRouterMock.Model(id: "Qwen3-8B-Q4_K_M")]
        let mock = LlamaRouterMock(configuration: .init(models: models, loadTime: .seconds(1), modelsMax: 0), time: clock.mockTime)
        try await withLlamaServer(mock, time: clock.mockTime) { base in
            let listed = (try await Self.models(base).object["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(listed == ["Big-Model-00001-of-00003", "Big-Model-00002-of-00003", "Big-Model-00003-of-00003", "Qwen3-8B-Q4_K_M"])
            // The pattern the original gateway collapses them with.
            let pattern = try Regex(#"^(.+)-(\d+)-of-(\d+)$"#)
            #expect(listed.filter { $0.wholeMatch(of: pattern) != nil }.count == 3)
            let args = try await Self.models(base).status(of: "Big-Model-00001-of-00003")?["args"] as? [String] ?? []
            #expect(args.contains("/models/llm/Big-Model-00001-of-00003.gguf"))

            _ = try await Self.load(base, "Big-Model-00001-of-00003")
            _ = try await Self.load(base, "Big-Model-00002-of-00003")
            clock.advance(by: .seconds(1))
            let after = try await Self.models(base)
            #expect(after.status(of: "Big-Model-00001-of-00003")?["value"] as? String == "loaded")
            #expect(after.status(of: "Big-Model-00002-of-00003")?["failed"] as? Bool == true)
            let chat = try await LlamaHTTP.post(base + "/v1/chat/completions", String(format: Self.chat, "Big-Model-00001-of-00003"))
            #expect(chat.status == 200)
            #expect(chat.object["model"] as? String == "Big-Model-00001-of-00003")
        }
    }

    @Test(arguments: [
        ("Big-Model-00001-of-00003", "Big-Model", 1, 3),
        ("a-b-00012-of-00020", "a-b", 12, 20),
    ])
    func splitNamesParse(id: String, base: String, part: Int, count: Int) throws {
        let name = try #require(LlamaSplitName(id))
        #expect(name.base == base && name.part == part && name.count == count)
        #expect(LlamaSplitName.id(base: base, part: part, count: count) == id)
    }

    @Test(arguments: ["Qwen3-8B-Q4_K_M", "-00001-of-00003", "x-1-of-", "x-+1-of-2", "x-00001-from-00003"])
    func nonSplitNamesDoNotParse(id: String) {
        #expect(LlamaSplitName(id) == nil)
    }
}
