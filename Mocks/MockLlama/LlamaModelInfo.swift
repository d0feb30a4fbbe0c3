import SynapseCore

/// What llama.cpp reports about a loaded GGUF model (`meta` in `/v1/models`, parts of `/props`).
public struct LlamaModelInfo: Sendable, Equatable {
    /// `n_vocab`.
    public var vocabularySize: Int
    /// `n_ctx` (the context the server runs with).
    public var contextSize: Int
    /// `n_ctx_train`.
    public var trainingContextSize: Int
    /// `n_embd`: also the embedding vector length.
    public var embeddingLength: Int
    /// `n_params`.
    public var parameterCount: Int
    /// `size` in bytes.
    public var sizeBytes: Int
    /// `ftype` text, e.g. `all F32`, `F16`, `Q4_K - Medium`.
    public var fileType: String

    public init(
        vocabularySize: Int, contextSize: Int, trainingContextSize: Int, embeddingLength: Int,
        parameterCount: Int, sizeBytes: Int, fileType: String
    ) {
        self.vocabularySize = vocabularySize
        self.contextSize = contextSize
        self.trainingContextSize = trainingContextSize
        self.embeddingLength = embeddingLength
        self.parameterCount = parameterCount
        self.sizeBytes = sizeBytes
        self.fileType = fileType
    }

    /// mxbai-embed-large-v1 (fp16) as Synapse runs it: 1024 dimensions, `--ctx-size 512`.
    public static let mxbaiEmbedLarge = LlamaModelInfo(
        vocabularySize: 30522, contextSize: 512, trainingContextSize: 512, embeddingLength: 1024,
        parameterCount: 334_000_000, sizeBytes: 669_000_000, fileType: "F16"
    )

    /// A Q4_K_M chat model of about 8 B parameters run with `--ctx-size 16384`.
    public static let qwen3_8B = LlamaModelInfo(
        vocabularySize: 151_936, contextSize: 16384, trainingContextSize: 40960, embeddingLength: 4096,
        parameterCount: 8_190_735_360, sizeBytes: 5_027_783_488, fileType: "Q4_K - Medium"
    )

    /// A Q4_K_M coder model of about 7 B parameters run with `--ctx-size 16384`.
    public static let qwenCoder7B = LlamaModelInfo(
        vocabularySize: 152_064, contextSize: 16384, trainingContextSize: 32768, embeddingLength: 3584,
        parameterCount: 7_615_616_512, sizeBytes: 4_683_073_952, fileType: "Q4_K - Medium"
    )

    /// The tiny random-weight models of the transcripts (64 dimensions, context 256).
    public static let tinyTranscriptModel = LlamaModelInfo(
        vocabularySize: 32000, contextSize: 256, trainingContextSize: 256, embeddingLength: 64,
        parameterCount: 4_178_240, sizeBytes: 16_712_960, fileType: "all F32"
    )

    /// The `meta` object, in llama.cpp's key order. (`vocab_type` is `true` in this build's output.)
    var meta: JSONValue {
        .obj(
            ("vocab_type", .bool(true)), ("n_vocab", .int(vocabularySize)), ("n_ctx", .int(contextSize)),
            ("n_ctx_train", .int(trainingContextSize)), ("n_embd", .int(embeddingLength)),
            ("n_params", .int(parameterCount)), ("size", .int(sizeBytes)), ("ftype", .string(fileType))
        )
    }

    /// A single-model server's `GET /props`.
    func props(alias: String, buildInfo: String) -> JSONValue {
        let f32 = { (x: Float) in JSONValue.double(Double(x)) }
        let params = JSONValue.obj(
            ("seed", .int(4_294_967_295)), ("temperature", f32(0.8)), ("dynatemp_range", .double(0)),
            ("dynatemp_exponent", .double(1)), ("top_k", .int(40)), ("top_p", f32(0.95)), ("min_p", f32(0.05)),
            ("top_n_sigma", .double(-1)), ("xtc_probability", .double(0)), ("xtc_threshold", f32(0.1)),
            ("typical_p", .double(1)), ("repeat_last_n", .int(64)), ("repeat_penalty", .double(1)),
            ("presence_penalty", .double(0)), ("frequency_penalty", .double(0)), ("dry_multiplier", .double(0)),
            ("dry_base", .double(1.75)), ("dry_allowed_length", .int(2)), ("dry_penalty_last_n", .int(64)),
            ("mirostat", .int(0)), ("mirostat_tau", .double(5)), ("mirostat_eta", f32(0.1)),
            ("adaptive_target", .double(-1)), ("adaptive_decay", f32(0.9)), ("max_tokens", .int(-1)),
            ("n_predict", .int(-1)), ("n_keep", .int(0)), ("n_discard", .int(0)), ("ignore_eos", .bool(false)),
            ("stream", .bool(false)), ("n_probs", .int(0)), ("min_keep", .int(0)), ("chat_format", .string("Content-only")),
            ("reasoning_format", .string("none")), ("reasoning_in_content", .bool(false)), ("generation_prompt", .string("")),
            ("samplers", .array(["penalties", "dry", "top_n_sigma", "top_k", "typ_p", "top_p", "min_p", "xtc", "temperature"].map { .string($0) })),
            ("speculative.types", .string("none")), ("timings_per_token", .bool(false)), ("post_sampling_probs", .bool(false)),
            ("backend_sampling", .bool(false)), ("lora", .array([]))
        )
        let template =
            "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
        let caps = JSONValue.obj(
            ("supports_object_arguments", .bool(false)), ("supports_parallel_tool_calls", .bool(false)),
            ("supports_preserve_reasoning", .bool(false)), ("supports_reasoning_effort", .bool(false)),
            ("supports_string_content", .bool(true)), ("supports_system_role", .bool(true)),
            ("supports_tool_calls", .bool(false)), ("supports_tools", .bool(false)), ("supports_typed_content", .bool(false))
        )
        return .obj(
            ("default_generation_settings", .obj(("params", params), ("n_ctx", .int(contextSize)))),
            ("total_slots", .int(4)), ("model_alias", .string(alias)), ("model_ftype", .string(fileType)),
            ("model_path", .string(alias)),
            ("modalities", .obj(("vision", .bool(false)), ("video", .bool(false)), ("audio", .bool(false)))),
            // The real marker is random per process; a fixed one keeps answers deterministic.
            ("media_marker", .string("<__media_" + String(LlamaEmbedder.fnv1a(alias), radix: 36) + "__>")),
            ("endpoint_slots", .bool(true)), ("endpoint_props", .bool(false)), ("endpoint_metrics", .bool(false)),
            ("ui", .bool(true)), ("ui_settings", .obj()), ("chat_template", .string(template)),
            ("chat_template_caps", caps), ("bos_token", .string("<s>")), ("eos_token", .string("</s>")),
            ("build_info", .string(buildInfo)), ("is_sleeping", .bool(false)), ("cors_proxy_enabled", .bool(false))
        )
    }
}
