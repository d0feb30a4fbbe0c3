import SynapseCore
import Testing

@testable import SynapseGateway

/// `ModelListing`: split-model collapse (§3) and profile attachment (§2.7). Expected lists were
/// produced by running the original's `_collapse_split_models` / `_attach_model_load_defaults`.
@Suite struct ModelListingTests {
    struct CollapseCase: CustomTestStringConvertible, Sendable {
        var name: String
        var list: String
        var expected: String
        init(_ name: String, list: String, expected: String) { (self.name, self.list, self.expected) = (name, list, expected) }
        var testDescription: String { name }
    }

    static let collapseCases: [CollapseCase] = [
        CollapseCase(
            #"parts collapse to part one at the first member's place"#,
            list:
                #"[{"id": "a", "status": {"value": "unloaded"}}, {"id": "big-00002-of-00003", "status": {"value": "loaded", "args": ["x"]}}, {"id": "b", "status": {"value": "loaded"}}, {"id": "big-00001-of-00003", "status": {"value": "unloaded", "args": ["p1"]}}, {"id": "big-00003-of-00003", "status": {"value": "unloaded", "failed": true}}]"#,
            expected:
                #"[{"id": "a", "status": {"value": "unloaded"}}, {"id": "big-00001-of-00003", "status": {"value": "loaded", "args": ["p1"], "failed": true}}, {"id": "b", "status": {"value": "loaded"}}]"#
        ),
        CollapseCase(
            #"loading beats unloading"#, list: #"[{"id": "m-1-of-2", "status": {"value": "unloading"}}, {"id": "m-2-of-2", "status": {"value": "loading"}}]"#,
            expected: #"[{"id": "m-1-of-2", "status": {"value": "loading"}}]"#),
        CollapseCase(
            #"unloading beats unloaded"#, list: #"[{"id": "m-1-of-2", "status": {"value": "unloaded"}}, {"id": "m-2-of-2", "status": {"value": "unloading"}}]"#,
            expected: #"[{"id": "m-1-of-2", "status": {"value": "unloading"}}]"#),
        CollapseCase(
            #"mixed unknown keeps part one's value"#,
            list: #"[{"id": "m-1-of-2", "status": {"value": "unknown"}}, {"id": "m-2-of-2", "status": {"value": "unloaded"}}]"#,
            expected: #"[{"id": "m-1-of-2", "status": {"value": "unknown"}}]"#),
        CollapseCase(
            #"no string values become unloaded"#, list: #"[{"id": "m-1-of-2", "status": {"args": []}}, {"id": "m-2-of-2", "status": {"value": null}}]"#,
            expected: #"[{"id": "m-1-of-2", "status": {"args": [], "value": "unloaded"}}]"#),
        CollapseCase(
            #"lowest part when part one is missing"#,
            list: #"[{"id": "m-3-of-3", "status": {"value": "loaded"}}, {"id": "m-2-of-3", "status": {"value": "unloaded", "failed": "yes"}}]"#,
            expected: #"[{"id": "m-2-of-3", "status": {"value": "loaded", "failed": true}}]"#),
        CollapseCase(
            #"non-object status is left alone"#,
            list: #"[{"id": "m-1-of-2", "status": "weird"}, {"id": "m-2-of-2", "status": {"value": "loaded", "failed": 1}}]"#,
            expected: #"[{"id": "m-1-of-2", "status": "weird"}]"#),
        CollapseCase(
            #"different totals are different models"#, list: #"[{"id": "m-1-of-2"}, {"id": "m-1-of-3"}, {"id": "m-2-of-2"}]"#,
            expected: #"[{"id": "m-1-of-2"}, {"id": "m-1-of-3"}]"#),
        CollapseCase(
            #"invalid parts are not split models"#,
            list:
                #"[{"id": "m-0-of-2"}, {"id": "m-3-of-2"}, {"id": "m-1-of-1"}, {"id": "-1-of-2"}, {"id": "m-1-of-2x"}, {"id": "m-01-of-02", "status": {"value": "loaded"}}, "str", {"id": 5}, {"id": "m-02-of-02", "status": {"value": "unloaded"}}]"#,
            expected:
                #"[{"id": "m-0-of-2"}, {"id": "m-3-of-2"}, {"id": "m-1-of-1"}, {"id": "-1-of-2"}, {"id": "m-1-of-2x"}, {"id": "m-01-of-02", "status": {"value": "loaded"}}, "str", {"id": 5}]"#
        ),
        CollapseCase(#"no split models returns the list unchanged"#, list: #"[{"id": "a"}, {"id": "b"}]"#, expected: #"[{"id": "a"}, {"id": "b"}]"#),
    ]

    @Test(arguments: collapseCases)
    func collapsesSplitModelsAsTheOriginalDoes(_ collapse: CollapseCase) throws {
        let list = try #require(try JSONValue.parse(collapse.list).arrayValue)
        #expect(JSONValue.array(ModelListing.collapseSplitModels(list)) == (try JSONValue.parse(collapse.expected)))
    }

    @Test(arguments: [
        ("big-00001-of-00003", "big", 1, 3), ("a-b-2-of-2", "a-b", 2, 2), ("x-1-of-2-of-3", "x-1-of", 2, 3), ("m-1-of-2\n", "m", 1, 2),
        ("m-١-of-٢", "m", 1, 2),
    ])
    func parsesSplitIDsAsPythonsRegexDoes(_ id: String, _ base: String, _ part: Int, _ total: Int) throws {
        let split = try #require(ModelListing.SplitID(id))
        #expect(split == ModelListing.SplitID(base: base, part: part, total: total))
    }

    @Test(arguments: ["m-0-of-2", "m-3-of-2", "m-1-of-1", "-1-of-2", "m-1-of-2x", "a\nb-1-of-2", "m-1-of-2\n\n", "m1-of-2", "m--of-2"])
    func rejectsIDsThatAreNotValidSplits(_ id: String) {
        #expect(ModelListing.SplitID(id) == nil)
    }

    static let profiles: [String: [(String, JSONValue)]] = [
        "gpt-oss-20b": [
            ("max_tokens", .int(100)), ("reasoning_effort", .string("high")), ("runtime_ctx_size", .int(8192)),
            ("system_prompt", .string("Be brief.")), ("temperature", .double(1.0)),
        ],
        "q": [("top_p", .double(0.9))],
    ]

    @Test func attachesProfilesAsTheOriginalDoes() throws {
        let list = try JSONValue.parse(
            #"[{"id": "gpt-oss-20b", "object": "model", "status": {"value": "loaded", "args": ["--ctx-size", "8192"]}}, {"id": "q", "status": "bad"}, {"id": "q2"}, {"id": "q", "object": "model"}, "x", {"id": 7}]"#
        )
        let expected = try JSONValue.parse(
            #"[{"id": "gpt-oss-20b", "object": "model", "status": {"value": "loaded", "args": ["--ctx-size", "8192"], "synapse_profile": {"max_tokens": 100, "reasoning_effort": "high", "runtime_ctx_size": 8192, "system_prompt": "Be brief.", "temperature": 1.0}, "synapse_defaults": {"max_tokens": 100, "reasoning_effort": "high", "runtime_ctx_size": 8192, "system_prompt": "Be brief.", "temperature": 1.0}}}, {"id": "q", "status": {"synapse_profile": {"top_p": 0.9}, "synapse_defaults": {"top_p": 0.9}}}, {"id": "q2"}, {"id": "q", "object": "model", "status": {"synapse_profile": {"top_p": 0.9}, "synapse_defaults": {"top_p": 0.9}}}, "x", {"id": 7}]"#
        )
        #expect(ModelListing.attachProfiles(to: list, profile: { Self.profiles[$0] ?? [] }) == expected)
    }

    @Test func attachesInsideAWholeListBodyAndFromTheStore() throws {
        let directory = try ScratchDirectory()
        let store = ModelProfileStore(path: directory.path + "/profiles.json")
        try store.set("q", values: [("top_p", .double(0.9)), ("extra", .string("kept in profile only"))])
        let body = JSONValue.obj(("object", .string("list")), ("data", .array([.obj(("id", .string("q")))])))
        let status = JSONValue.obj(
            ("synapse_profile", .obj(("extra", .string("kept in profile only")), ("top_p", .double(0.9)))),
            ("synapse_defaults", .obj(("top_p", .double(0.9)))))
        let expected = JSONValue.obj(("object", .string("list")), ("data", .array([.obj(("id", .string("q")), ("status", status))])))
        #expect(ModelListing.attachProfiles(to: body, store: store) == expected)
        #expect(ModelListing.attachProfile(to: .obj(("id", .string("q"))), store: store) == .obj(("id", .string("q")), ("status", status)))
        #expect(ModelListing.attachProfile(to: .obj(("id", .string("none"))), store: store) == .obj(("id", .string("none"))))
    }
}
