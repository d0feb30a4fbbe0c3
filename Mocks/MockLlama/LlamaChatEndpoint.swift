import Foundation
import Hummingbird
import NIOCore
import SynapseCore
import SynapseMockKit

/// A llama.cpp server's `POST /v1/chat/completions` and `/v1/completions`, answered by
/// `LlamaTextGenerator`, streamed as SSE with one write per event group:
///
/// ```
/// sleep(timeToFirstToken) → write [role delta + first token]
/// sleep(interTokenDelay)  → write [token]            … once per further token
///                           write [finish (+ usage chunk)]
///                           write [data: [DONE]]
/// ```
struct LlamaChatEndpoint: Sendable {
    /// The `model` written into answers (the child's alias).
    let modelAlias: String
    let buildInfo: String
    let timing: LlamaTextGenerator.Timing
    let time: MockTime
    /// True for answers relayed by the router from a child (they carry `X-Accel-Buffering: no`).
    let relayed: Bool

    func chatCompletions(_ request: Request, context: some RequestContext) async throws -> Response {
        switch try await LlamaResponse.parseBody(request, context: context) {
        case .success(let body): return try await chatCompletions(body: body)
        case .failure(let response): return response
        }
    }

    /// Answers an already parsed chat body (the router parses it first to find the model).
    func chatCompletions(body: JSONValue) async throws -> Response {
        let messages: [JSONValue]
        switch LlamaMessagesValidation.messages(of: body) {
        case .success(let valid): messages = valid
        case .failure(let failure): return LlamaResponse.error(failure.status, failure.message, relayed: relayed)
        }
        guard !messages.isEmpty else {
            // What the captured server answered (its chat parser rejected output sampled from nothing).
            return LlamaResponse.error(.internalServerError, "The model produced output that does not match the expected peg-native format", relayed: relayed)
        }
        let turns = messages.map { (role: $0["role"]?.stringValue ?? "", content: Self.content(of: $0)) }
        let prompt = turns.map { "\($0.role): \($0.content)" }.joined(separator: "\n")
        let maxTokens = (body["max_tokens"] ?? body["max_completion_tokens"] ?? body["n_predict"])?.intValue
        let output = LlamaTextGenerator.generate(prompt: prompt, model: modelAlias, maxTokens: maxTokens)
        let promptTokens = LlamaTextGenerator.promptTokens(messages: turns)
        let created = Int(time.now().timeIntervalSince1970)
        let id = Self.completionID(seed: prompt + "\(created)")
        if body["stream"]?.boolValue == true {
            let includeUsage = body["stream_options"]?["include_usage"]?.boolValue == true
            return stream(output, promptTokens: promptTokens, created: created, id: id, includeUsage: includeUsage)
        }
        try await time.sleep(timing.timeToFirstToken + timing.interTokenDelay * max(0, output.tokens.count - 1))
        let answer = JSONValue.obj(
            (
                "choices",
                .array([
                    .obj(
                        ("finish_reason", .string(output.finishReason)), ("index", .int(0)),
                        ("message", .obj(("role", .string("assistant")), ("content", .string(output.text))))
                    )
                ])
            ),
            ("created", .int(created)), ("model", .string(modelAlias)), ("system_fingerprint", .string(buildInfo)),
            ("object", .string("chat.completion")),
            ("usage", usage(completion: output.tokens.count, prompt: promptTokens)),
            ("id", .string(id)), ("timings", timings(prompt: promptTokens, predicted: output.tokens.count))
        )
        return LlamaResponse.json(answer, relayed: relayed)
    }

    /// `POST /v1/completions` (plain prompt), non-streaming.
    func completions(_ request: Request, context: some RequestContext) async throws -> Response {
        switch try await LlamaResponse.parseBody(request, context: context) {
        case .success(let body): return try await completions(body: body)
        case .failure(let response): return response
        }
    }

    /// Answers an already parsed completions body.
    func completions(body: JSONValue) async throws -> Response {
        guard let prompt = body["prompt"]?.stringValue else {
            return LlamaResponse.error(.badRequest, "\"prompt\" must be provided", relayed: relayed)
        }
        let output = LlamaTextGenerator.generate(prompt: prompt, model: modelAlias, maxTokens: (body["max_tokens"] ?? body["n_predict"])?.intValue)
        let promptTokens = LlamaTokenizer.count(prompt)
        let created = Int(time.now().timeIntervalSince1970)
        try await time.sleep(timing.timeToFirstToken + timing.interTokenDelay * max(0, output.tokens.count - 1))
        return LlamaResponse.json(
            .obj(
                (
                    "choices",
                    .array([
                        .obj(
                            ("text", .string(output.text)), ("index", .int(0)), ("logprobs", .null), ("finish_reason", .string(output.finishReason))
                        )
                    ])
                ),
                ("created", .int(created)), ("model", .string(modelAlias)), ("system_fingerprint", .string(buildInfo)),
                ("object", .string("text_completion")), ("usage", usage(completion: output.tokens.count, prompt: promptTokens)),
                ("id", .string(Self.completionID(seed: prompt + "\(created)"))),
                ("timings", timings(prompt: promptTokens, predicted: output.tokens.count))
            ), relayed: relayed)
    }

    // MARK: Streaming

    private func stream(_ output: LlamaTextGenerator.Output, promptTokens: Int, created: Int, id: String, includeUsage: Bool) -> Response {
        let chunk = { @Sendable (choices: [JSONValue], extra: [(String, JSONValue)]) -> String in
            var members: [(String, JSONValue)] = [
                ("choices", .array(choices)), ("created", .int(created)), ("id", .string(id)),
                ("model", .string(modelAlias)), ("system_fingerprint", .string(buildInfo)),
                ("object", .string("chat.completion.chunk")),
            ]
            members += extra
            return "data: " + JSONValue.object(members).text() + "\n\n"
        }
        let delta = { @Sendable (finish: JSONValue, delta: JSONValue) in
            JSONValue.obj(("finish_reason", finish), ("index", .int(0)), ("delta", delta))
        }
        let timing = self.timing
        let time = self.time
        let final = timings(prompt: promptTokens, predicted: output.tokens.count)
        let usage = usage(completion: output.tokens.count, prompt: promptTokens)
        let body = ResponseBody { writer in
            try await time.sleep(timing.timeToFirstToken)
            var first = chunk([delta(.null, .obj(("role", .string("assistant")), ("content", .null)))], [])
            for (i, token) in output.tokens.enumerated() {
                if i > 0 { try await time.sleep(timing.interTokenDelay) }
                let event = chunk([delta(.null, .obj(("content", .string(token))))], [])
                // The first token shares its write with the role delta, as the real server does.
                try await writer.write(ByteBuffer(string: first + event))
                first = ""
            }
            var closing = first
            if includeUsage {
                closing += chunk([delta(.string(output.finishReason), .obj())], [])
                closing += chunk([], [("usage", usage), ("timings", final)])
            } else {
                closing += chunk([delta(.string(output.finishReason), .obj())], [("timings", final)])
            }
            try await writer.write(ByteBuffer(string: closing))
            try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
            try await writer.finish(nil)
        }
        var headers: HTTPFields = [.contentType: "text/event-stream"]
        headers[LlamaResponse.accelBuffering] = "no"
        return Response(status: .ok, headers: headers, body: body)
    }

    // MARK: Pieces

    private func usage(completion: Int, prompt: Int) -> JSONValue {
        .obj(
            ("completion_tokens", .int(completion)), ("prompt_tokens", .int(prompt)), ("total_tokens", .int(completion + prompt)),
            ("prompt_tokens_details", .obj(("cached_tokens", .int(0))))
        )
    }

    /// Timings consistent with the configured delays (milliseconds, tokens per second).
    private func timings(prompt: Int, predicted: Int) -> JSONValue {
        let promptMs = max(0.001, timing.timeToFirstToken.seconds * 1000)
        let predictedMs = max(0.001, timing.interTokenDelay.seconds * 1000 * Double(max(1, predicted)))
        return .obj(
            ("cache_n", .int(0)), ("prompt_n", .int(prompt)), ("prompt_ms", .double(promptMs)),
            ("prompt_per_token_ms", .double(promptMs / Double(max(1, prompt)))),
            ("prompt_per_second", .double(1000 * Double(prompt) / promptMs)),
            ("predicted_n", .int(predicted)), ("predicted_ms", .double(predictedMs)),
            ("predicted_per_token_ms", .double(predictedMs / Double(max(1, predicted)))),
            ("predicted_per_second", .double(1000 * Double(predicted) / predictedMs))
        )
    }

    /// A message's text: a string, or the `text` parts of a content array.
    static func content(of message: JSONValue) -> String {
        if let text = message["content"]?.stringValue { return text }
        return (message["content"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
    }

    /// `chatcmpl-` plus 32 alphanumerics, derived from the request so answers stay deterministic.
    static func completionID(seed: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var rng = SplitMix64(seed: LlamaEmbedder.fnv1a(seed))
        return "chatcmpl-" + String((0..<32).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
    }
}
