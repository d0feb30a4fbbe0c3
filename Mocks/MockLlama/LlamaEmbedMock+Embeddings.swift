import Hummingbird
import SynapseCore

/// `POST /v1/embeddings` (OpenAI shape) and `/embeddings`, `/embedding` (native shape).
///
/// | request                                | answer |
/// |----------------------------------------|--------|
/// | neither `input` nor `content`          | 400 `"input" or "content" must be provided` |
/// | `encoding_format` not float/base64     | 400 `The format to return the embeddings in. Can be either float or base64` |
/// | an input of more than `batchSize` tokens | 500 `input (N tokens) is too large to process. …` |
/// | body not JSON                          | 500 with the parser's message |
/// | OpenAI route with `input`              | `{"model","object","usage","data":[{"embedding","index","object"}]}` |
/// | native route, or `content`             | `[{"index":0,"embedding":[[…]]}]` |
extension LlamaEmbedMock {
    /// One prompt: text, or token ids.
    enum Prompt {
        case text(String)
        case tokens([Int])
    }

    func embeddings(_ request: Request, context: some RequestContext, native: Bool) async throws -> Response {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let key = LlamaResponseCache.Key(route: native ? "native" : "openai", body: Array(buffer.readableBytesView))
        if let cached = responseCache.answer(for: key) { return LlamaResponse.text(cached, status: .ok) }
        let body: JSONValue
        switch LlamaResponse.parse(buffer) {
        case .success(let json): body = json
        case .failure(let response): return response
        }
        let useContent = body["input"] == nil && body["content"] != nil
        guard let input = body["input"] ?? body["content"] else {
            return LlamaResponse.error(.badRequest, "\"input\" or \"content\" must be provided")
        }
        var base64 = false
        if let format = body["encoding_format"] {
            switch format.stringValue {
            case "float": base64 = false
            case "base64": base64 = true
            default: return LlamaResponse.error(.badRequest, "The format to return the embeddings in. Can be either float or base64")
            }
        }
        guard let prompts = Self.prompts(from: input) else {
            return LlamaResponse.error(.badRequest, "\"prompt\" must be a string, a list of tokens, a list of mixed strings & tokens, or a list of prompts")
        }
        guard !prompts.isEmpty else { return LlamaResponse.error(.badRequest, "Input content cannot be empty") }
        var vectors: [[Float]] = []
        var tokenCounts: [Int] = []
        for prompt in prompts {
            let tokens: Int
            switch prompt {
            case .text(let text):
                tokens = LlamaTokenizer.count(text)
                vectors.append(embedder.vector(for: text))
            case .tokens(let ids):
                tokens = ids.count
                vectors.append(embedder.vector(forTokens: ids))
            }
            if tokens == 0 { return LlamaResponse.error(.badRequest, "Input content cannot be empty") }
            if tokens > configuration.batchSize {
                return LlamaResponse.error(
                    .internalServerError,
                    "input (\(tokens) tokens) is too large to process. increase the physical batch size (current batch size: \(configuration.batchSize))"
                )
            }
            tokenCounts.append(tokens)
        }
        if native || useContent {
            return cached(
                .array(
                    vectors.enumerated().map { i, v in
                        .obj(("index", .int(i)), ("embedding", .array([Self.floats(v)])))
                    }), key: key)
        }
        let data = vectors.enumerated().map { i, v -> JSONValue in
            base64
                ? .obj(
                    ("embedding", .string(LlamaEmbedder.base64(v))), ("index", .int(i)), ("object", .string("embedding")),
                    ("encoding_format", .string("base64")))
                : .obj(("embedding", Self.floats(v)), ("index", .int(i)), ("object", .string("embedding")))
        }
        let total = tokenCounts.reduce(0, +)
        let model = body["model"]?.stringValue ?? configuration.modelName
        return cached(
            .obj(
                ("model", .string(model)), ("object", .string("list")),
                ("usage", .obj(("prompt_tokens", .int(total)), ("total_tokens", .int(total)))),
                ("data", .array(data))
            ), key: key)
    }

    /// A 200 answer, remembered for the next identical request.
    private func cached(_ value: JSONValue, key: LlamaResponseCache.Key) -> Response {
        let text = value.text()
        responseCache.store(text, for: key)
        return LlamaResponse.text(text, status: .ok)
    }

    /// llama.cpp's prompt rules: a string is one prompt; an array of token ids (strings may be
    /// mixed in) is one prompt; otherwise each element of an array is a prompt. Nil when malformed.
    static func prompts(from input: JSONValue) -> [Prompt]? {
        switch input {
        case .string(let s):
            return [.text(s)]
        case .array(let items):
            let hasNumber = items.contains { $0.intValue != nil }
            let hasArray = items.contains { $0.arrayValue != nil }
            if hasNumber && !hasArray {
                // A single prompt: ids as they are, text pieces approximated by their token count.
                var ids: [Int] = []
                for item in items {
                    if let id = item.intValue {
                        ids.append(id)
                    } else if let text = item.stringValue {
                        ids += text.unicodeScalars.map { Int($0.value) }.prefix(LlamaTokenizer.countWithoutBOS(text))
                    } else {
                        return nil
                    }
                }
                return [.tokens(ids)]
            }
            var prompts: [Prompt] = []
            for item in items {
                if let text = item.stringValue {
                    prompts.append(.text(text))
                } else if let inner = item.arrayValue {
                    let ids = inner.compactMap(\.intValue)
                    guard ids.count == inner.count else { return nil }
                    prompts.append(.tokens(ids))
                } else {
                    return nil
                }
            }
            return prompts
        default:
            return nil
        }
    }

    /// Floats written as llama.cpp writes them: the float32 value widened to double.
    static func floats(_ v: [Float]) -> JSONValue {
        .array(v.map { .double(Double($0)) })
    }
}
