import SynapseCore
import Testing

@testable import SynapseGateway

/// `ModelFamily` and `ModelProfileSchema`: the family rules and the schema document, byte for
/// byte as the original's `/models/{id}/schema` writes it (literal produced by the original code).
@Suite struct ModelProfileSchemaTests {
    @Test(arguments: [
        ("gpt-oss-20b", ModelFamily.gptOSS), ("GPT-OSS-120B", .gptOSS), ("gpt-oss", .generic), ("my-gpt-oss-20b", .generic),
        ("GLM-4.7-Flash-Q4", .glm47Flash), ("Qwen3-8B-Q4_K_M", .qwen), ("qwen-gpt-oss-x", .qwen), ("Llama-3-8B", .generic), ("", .generic),
    ])
    func infersTheFamilyFromTheModelID(_ id: String, _ family: ModelFamily) {
        #expect(ModelFamily(modelID: id) == family)
    }

    @Test func familiesAreSpelledAsTheOriginalSpellsThem() {
        #expect(ModelFamily.allCases.map(\.rawValue) == ["gpt-oss", "glm-4.7-flash", "qwen", "generic"])
    }

    @Test func gptOSSSchemaMatchesTheOriginalByteForByte() {
        let expected =
            #"{"model":"gpt-oss-20b","family":"gpt-oss","fields":[{"name":"system_prompt","label":"System Prompt","type":"string","default":"","applies_at":"generation","description":"Default system prompt prepended when request has no system message."},{"name":"temperature","label":"Temperature","type":"number","min":0.0,"max":2.0,"step":0.01,"default":1.0,"applies_at":"generation","description":"Higher values increase randomness, lower values make outputs more deterministic."},{"name":"top_p","label":"Top P","type":"number","min":0.0,"max":1.0,"step":0.01,"default":0.95,"applies_at":"generation","description":"Nucleus sampling cutoff. Lower values constrain token choices."},{"name":"top_k","label":"Top K","type":"integer","min":1,"max":1000,"step":1,"default":40,"applies_at":"generation","description":"Samples only from the top-K candidate tokens each step."},{"name":"min_p","label":"Min P","type":"number","min":0.0,"max":1.0,"step":0.01,"default":0.01,"applies_at":"generation","description":"Minimum token probability floor; useful for llama.cpp where default is often too strict."},{"name":"repeat_penalty","label":"Repeat Penalty","type":"number","min":0.0,"max":3.0,"step":0.01,"default":1.0,"applies_at":"generation","description":"Penalizes repeated tokens. 1.0 disables repetition penalty."},{"name":"max_tokens","label":"Max Tokens","type":"integer","min":1,"max":32768,"step":1,"default":16384,"applies_at":"generation","description":"Default maximum number of completion tokens per request (bounded by router ctx-size)."},{"name":"runtime_ctx_size","label":"Runtime Context Size","type":"integer","min":512,"max":131072,"step":1,"default":16384,"applies_at":"load","description":"llama-router --ctx-size for this model. Applied during model load and may restart llama-router."},{"name":"reasoning_effort","label":"Reasoning Effort","type":"enum","choices":["low","medium","high"],"default":"high","applies_at":"generation","description":"Injected as 'Reasoning: <level>' in system instructions when absent."}],"notes":["Generation settings are persisted per model and auto-applied when request values are missing.","Runtime load settings are applied per model at load-time. When changed, Synapse may patch/restart llama-router before loading the model."]}"#
        #expect(ModelProfileSchema.document(modelID: "gpt-oss-20b").text(.pythonCompact) == expected)
    }

    @Test func onlyGptOSSModelsHaveReasoningEffortAndItComesLast() {
        let names = { (id: String) in ModelProfileSchema.fields(modelID: id).map(\.name) }
        let base = ["system_prompt", "temperature", "top_p", "top_k", "min_p", "repeat_penalty", "max_tokens", "runtime_ctx_size"]
        #expect(names("Qwen3-8B-Q4_K_M") == base)
        #expect(names("GLM-4.7-Flash-Q4") == base)
        #expect(names("gpt-oss-20b") == base + ["reasoning_effort"])
        #expect(ModelProfileSchema.document(modelID: "Qwen3-8B")["family"] == .string("qwen"))
        #expect(ModelProfileSchema.document(modelID: "Qwen3-8B")["notes"] == .array(ModelProfileSchema.notes.map(JSONValue.string)))
    }
}
