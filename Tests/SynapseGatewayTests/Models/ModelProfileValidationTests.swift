import SynapseCore
import Testing

@testable import SynapseGateway

/// `ModelProfileSchema.normalize`: every rule and message of the original's
/// `_normalize_profile_updates`. The expected texts were produced by running the original code.
@Suite struct ModelProfileValidationTests {
    struct Rejection: CustomTestStringConvertible, Sendable {
        var key: String
        var json: String
        var model: String
        var message: String
        init(_ key: String, _ json: String, _ model: String, _ message: String) {
            (self.key, self.json, self.model, self.message) = (key, json, model, message)
        }
        var testDescription: String { "\(key)=\(json) on \(model)" }
    }

    static let rejections: [Rejection] = [
        Rejection("temperature", #""abc""#, "Qwen3-8B", "'temperature' must be a number"),
        Rejection("temperature", "2.5", "Qwen3-8B", "'temperature' must be <= 2.0"),
        Rejection("temperature", "-0.1", "Qwen3-8B", "'temperature' must be >= 0.0"),
        Rejection("top_p", "1.01", "Qwen3-8B", "'top_p' must be <= 1.0"),
        Rejection("min_p", "-1", "Qwen3-8B", "'min_p' must be >= 0.0"),
        Rejection("repeat_penalty", "3.5", "Qwen3-8B", "'repeat_penalty' must be <= 3.0"),
        Rejection("temperature", "[1]", "Qwen3-8B", "'temperature' must be a number"),
        Rejection("temperature", "{}", "Qwen3-8B", "'temperature' must be a number"),
        Rejection("temperature", #""""#, "Qwen3-8B", "'temperature' must be a number"),
        Rejection("temperature", #""inf""#, "Qwen3-8B", "'temperature' must be <= 2.0"),
        Rejection("temperature", #""-inf""#, "Qwen3-8B", "'temperature' must be >= 0.0"),
        Rejection("temperature", #""0x1""#, "Qwen3-8B", "'temperature' must be a number"),
        Rejection("temperature", #""1__0""#, "Qwen3-8B", "'temperature' must be a number"),
        Rejection("temperature", #""١٫٥""#, "Qwen3-8B", "'temperature' must be a number"),
        Rejection("top_k", "true", "Qwen3-8B", "'top_k' must be an integer"),
        Rejection("top_k", #""1.5""#, "Qwen3-8B", "'top_k' must be an integer"),
        Rejection("top_k", "0", "Qwen3-8B", "'top_k' must be >= 1"),
        Rejection("top_k", "1001", "Qwen3-8B", "'top_k' must be <= 1000"),
        Rejection("top_k", "0.9", "Qwen3-8B", "'top_k' must be >= 1"),
        Rejection("top_k", "-0.5", "Qwen3-8B", "'top_k' must be >= 1"),
        Rejection("top_k", #""abc""#, "Qwen3-8B", "'top_k' must be an integer"),
        Rejection("top_k", "[]", "Qwen3-8B", "'top_k' must be an integer"),
        Rejection("max_tokens", "0", "Qwen3-8B", "'max_tokens' must be >= 1"),
        Rejection("max_tokens", "32769", "Qwen3-8B", "'max_tokens' must be <= 32768"),
        Rejection("runtime_ctx_size", "511", "Qwen3-8B", "'runtime_ctx_size' must be >= 512"),
        Rejection("runtime_ctx_size", "131073", "Qwen3-8B", "'runtime_ctx_size' must be <= 131072"),
        Rejection("runtime_ctx_size", #""99999999999999999999999""#, "Qwen3-8B", "'runtime_ctx_size' must be <= 131072"),
        Rejection("runtime_ctx_size", "1e300", "Qwen3-8B", "'runtime_ctx_size' must be <= 131072"),
        Rejection("reasoning_effort", #""high""#, "Qwen3-8B", "Unknown profile field: 'reasoning_effort'"),
        Rejection("reasoning_effort", "5", "gpt-oss-20b", "'reasoning_effort' must be a string"),
        Rejection("reasoning_effort", #""extreme""#, "gpt-oss-20b", "'reasoning_effort' must be one of: low, medium, high"),
        Rejection("reasoning_effort", "true", "gpt-oss-20b", "'reasoning_effort' must be a string"),
        Rejection("system_prompt", "5", "Qwen3-8B", "'system_prompt' must be a string"),
        Rejection("system_prompt", #"["a"]"#, "Qwen3-8B", "'system_prompt' must be a string"),
        Rejection("bogus", "1", "Qwen3-8B", "Unknown profile field: 'bogus'"),
        Rejection("Temperature", "1", "Qwen3-8B", "Unknown profile field: 'Temperature'"),
    ]

    @Test(arguments: rejections)
    func rejectsWithTheOriginalsMessage(_ rejection: Rejection) throws {
        let value = try JSONValue.parse(rejection.json)
        #expect(throws: ProfileError.self) { try ModelProfileSchema.normalize([(rejection.key, value)], modelID: rejection.model) }
        do {
            _ = try ModelProfileSchema.normalize([(rejection.key, value)], modelID: rejection.model)
        } catch {
            #expect(error.message == rejection.message)
        }
    }

    struct Acceptance: CustomTestStringConvertible, Sendable {
        var key: String
        var json: String
        var stored: JSONValue?
        init(_ key: String, _ json: String, _ stored: JSONValue?) { (self.key, self.json, self.stored) = (key, json, stored) }
        var testDescription: String { "\(key)=\(json)" }
    }

    static let acceptances: [Acceptance] = [
        Acceptance("temperature", #""0.5""#, .double(0.5)),
        Acceptance("temperature", "true", .double(1.0)),
        Acceptance("temperature", "false", .double(0.0)),
        Acceptance("temperature", #"" 1.5 ""#, .double(1.5)),
        Acceptance("temperature", #""1_0e-1""#, .double(1.0)),
        Acceptance("temperature", "1", .double(1.0)),
        Acceptance("temperature", #""nan""#, .double(.nan)),
        Acceptance("top_p", "\"\u{00A0}0.25\u{2003}\"", .double(0.25)),
        Acceptance("temperature", "null", nil),
        Acceptance("top_k", "12.9", .int(12)),
        Acceptance("top_k", #""12""#, .int(12)),
        Acceptance("top_k", #"" 12 ""#, .int(12)),
        Acceptance("top_k", #""1_0""#, .int(10)),
        Acceptance("top_k", #""١٢""#, .int(12)),
        Acceptance("max_tokens", "1.0", .int(1)),
        Acceptance("runtime_ctx_size", #""+8192""#, .int(8192)),
        Acceptance("reasoning_effort", #"" HIGH ""#, .string("high")),
        Acceptance("reasoning_effort", #""Low""#, .string("low")),
        Acceptance("system_prompt", #""  Be brief.  ""#, .string("Be brief.")),
        Acceptance("system_prompt", #""   ""#, nil),
        Acceptance("system_prompt", #""""#, nil),
    ]

    @Test(arguments: acceptances)
    func acceptsAndNormalizesAsPythonDoes(_ acceptance: Acceptance) throws {
        let result = try ModelProfileSchema.normalize([(acceptance.key, try JSONValue.parse(acceptance.json))], modelID: "gpt-oss-20b")
        #expect(result.count == 1)
        #expect(result.first?.0 == acceptance.key)
        #expect(result.first?.1 == acceptance.stored)
    }

    @Test func stopsAtTheFirstBadKeyInDocumentOrder() throws {
        let updates: [(String, JSONValue)] = [("top_k", .int(0)), ("bogus", .int(1))]
        do {
            _ = try ModelProfileSchema.normalize(updates, modelID: "Qwen3-8B")
            Issue.record("expected a rejection")
        } catch {
            #expect(error.message == "'top_k' must be >= 1")
            #expect(error.code == .outOfRange)
        }
    }

    @Test func aRepeatedKeyKeepsItsFirstPlaceAndLastValue() throws {
        let updates: [(String, JSONValue)] = [("top_p", .double(0.5)), ("top_k", .int(3)), ("top_p", .string("0.25"))]
        let result = try ModelProfileSchema.normalize(updates, modelID: "Qwen3-8B")
        #expect(result.map(\.0) == ["top_p", "top_k"])
        #expect(result.map(\.1) == [.double(0.25), .int(3)])
    }
}
