import SynapseCore
import Testing

@testable import SynapseGateway

/// `ProfileDefaults.apply`: the chat merge rules of the original's
/// `_apply_model_load_defaults_to_payload`. Each case's expected payload was produced by
/// running the original function on the same input.
@Suite struct ProfileDefaultsTests {
    struct MergeCase: CustomTestStringConvertible, Sendable {
        var name: String
        var profile: String
        var payload: String
        var expected: String
        var applied: [String]
        init(_ name: String, profile: String, payload: String, expected: String, applied: [String]) {
            (self.name, self.profile, self.payload, self.expected, self.applied) = (name, profile, payload, expected, applied)
        }
        var testDescription: String { name }
    }

    static let cases: [MergeCase] = [
        MergeCase(
            #"example"#, profile: #"{"system_prompt": "Be brief.", "reasoning_effort": "high", "temperature": 1.0, "max_tokens": 100}"#,
            payload: #"{"model": "gpt-oss-20b", "messages": [{"role": "user", "content": "hi"}]}"#,
            expected:
                #"{"model": "gpt-oss-20b", "messages": [{"role": "system", "content": "Reasoning: high\n\nBe brief."}, {"role": "user", "content": "hi"}], "temperature": 1.0, "max_tokens": 100}"#,
            applied: ["temperature", "max_tokens", "system_prompt", "reasoning_effort"]),
        MergeCase(
            #"null counts as set"#, profile: #"{"temperature": 0.5, "top_p": 0.9, "top_k": 20}"#, payload: #"{"temperature": null, "messages": []}"#,
            expected: #"{"temperature": null, "messages": [], "top_p": 0.9, "top_k": 20}"#, applied: ["top_p", "top_k"]),
        MergeCase(
            #"existing system keeps prompt, prefixes reasoning"#, profile: #"{"system_prompt": "Be brief.", "reasoning_effort": "low"}"#,
            payload: #"{"messages": [{"role": "user", "content": "a"}, {"role": "system", "content": "You are X."}]}"#,
            expected: #"{"messages": [{"role": "user", "content": "a"}, {"role": "system", "content": "Reasoning: low\n\nYou are X."}]}"#,
            applied: ["reasoning_effort"]),
        MergeCase(
            #"reasoning line present"#, profile: #"{"reasoning_effort": "low"}"#,
            payload: #"{"messages": [{"role": "system", "content": "Intro\n  REASONING :  High  \nmore"}]}"#,
            expected: #"{"messages": [{"role": "system", "content": "Intro\n  REASONING :  High  \nmore"}]}"#, applied: []),
        MergeCase(
            #"empty system content"#, profile: #"{"reasoning_effort": "medium"}"#, payload: #"{"messages": [{"role": "system", "content": ""}]}"#,
            expected: #"{"messages": [{"role": "system", "content": "Reasoning: medium"}]}"#, applied: ["reasoning_effort"]),
        MergeCase(
            #"non-string content"#, profile: #"{"reasoning_effort": "medium"}"#,
            payload: #"{"messages": [{"role": "system", "content": [{"type": "text", "text": "x"}]}]}"#,
            expected: #"{"messages": [{"role": "system", "content": [{"type": "text", "text": "x"}]}]}"#, applied: []),
        MergeCase(
            #"messages not a list"#, profile: #"{"system_prompt": "P"}"#, payload: #"{"messages": "oops", "stream": true}"#,
            expected: #"{"messages": [{"role": "system", "content": "P"}], "stream": true}"#, applied: ["system_prompt"]),
        MergeCase(
            #"messages missing"#, profile: #"{"reasoning_effort": "high"}"#, payload: #"{"model": "m"}"#,
            expected: #"{"model": "m", "messages": [{"role": "system", "content": "Reasoning: high"}]}"#, applied: ["reasoning_effort"]),
        MergeCase(
            #"invalid level ignored"#, profile: #"{"reasoning_effort": "extreme", "runtime_ctx_size": 8192}"#, payload: #"{"messages": []}"#,
            expected: #"{"messages": []}"#, applied: []),
        MergeCase(#"empty profile"#, profile: #"{}"#, payload: #"{"messages": "x"}"#, expected: #"{"messages": "x"}"#, applied: []),
        MergeCase(
            #"not a line"#, profile: #"{"reasoning_effort": "low"}"#, payload: #"{"messages": [{"role": "system", "content": "Reasoning: high please"}]}"#,
            expected: #"{"messages": [{"role": "system", "content": "Reasoning: low\n\nReasoning: high please"}]}"#, applied: ["reasoning_effort"]),
        MergeCase(
            #"blank lines around"#, profile: #"{"reasoning_effort": "low"}"#,
            payload: #"{"messages": [{"role": "system", "content": "x\n\n\treasoning:low\n\n"}]}"#,
            expected: #"{"messages": [{"role": "system", "content": "x\n\n\treasoning:low\n\n"}]}"#, applied: []),
        MergeCase(
            #"long s"#, profile: #"{"reasoning_effort": "low"}"#, payload: #"{"messages": [{"role": "system", "content": "REA\u017fONING: H\u0130GH"}]}"#,
            expected: #"{"messages": [{"role": "system", "content": "REA\u017fONING: H\u0130GH"}]}"#, applied: []),
    ]

    @Test(arguments: cases)
    func mergesAsTheOriginalDoes(_ merge: MergeCase) throws {
        let profile = try #require(try JSONValue.parse(merge.profile).objectValue)
        var payload = try #require(try JSONValue.parse(merge.payload).objectValue)
        let applied = ProfileDefaults.apply(profile: profile, to: &payload)
        #expect(JSONValue.object(payload) == (try JSONValue.parse(merge.expected)))
        #expect(applied == merge.applied)
    }

    @Test func systemPromptComesFirstThenReasoningGivingTheObservedContent() throws {
        var payload: [(String, JSONValue)] = [("messages", .array([.obj(("role", .string("user")), ("content", .string("hi")))]))]
        ProfileDefaults.apply(profile: [("reasoning_effort", .string("high")), ("system_prompt", .string("Be brief."))], to: &payload)
        let first = try #require(JSONValue.object(payload)["messages"]?.arrayValue?.first)
        #expect(first["content"] == .string("Reasoning: high\n\nBe brief."))
    }

    @Test func aPresentNullCountsAsSet() {
        var payload: [(String, JSONValue)] = [("max_tokens", .null)]
        let applied = ProfileDefaults.apply(profile: [("max_tokens", .int(100)), ("temperature", .double(0.2))], to: &payload)
        #expect(applied == ["temperature"])
        #expect(JSONValue.object(payload) == .obj(("max_tokens", .null), ("temperature", .double(0.2))))
    }

    @Test func runtimeContextSizeIsNeverMerged() {
        var payload: [(String, JSONValue)] = []
        #expect(ProfileDefaults.apply(profile: [("runtime_ctx_size", .int(8192))], to: &payload).isEmpty)
        #expect(payload.isEmpty)
    }

    @Test(arguments: [
        ("Reasoning: high", true), ("  reasoning :  LOW  ", true), ("a\nReasoning: medium\nb", true), ("Reasoning: high please", false),
        ("xReasoning: high", false), ("Reasoning high", false), ("\u{2003}Reasoning:\u{2028}low", true), ("Reasoning:\rlow", true),
        ("Reasoning: lowest", false), ("REA\u{017F}ONING: H\u{0130}GH", true), ("", false),
    ])
    func recognisesAReasoningLineAsPythonsRegexDoes(_ text: String, _ present: Bool) {
        #expect(ReasoningLine.isPresent(in: text) == present)
    }
}
