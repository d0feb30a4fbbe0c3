import SynapseCore

/// Deterministic "model output": plausible English sentences whose words are drawn from a small
/// vocabulary by a `SplitMix64` seeded with the prompt and model, so the same request always
/// gets the same answer and different prompts get different ones.
///
/// Tokens are words with their leading space (` system`) and punctuation on its own (`.`), as a
/// BPE tokenizer would split them. The answer ends naturally (`finish_reason: "stop"`) after
/// 12–48 tokens unless `max_tokens` cuts it first (`"length"`).
public struct LlamaTextGenerator: Sendable {
    /// How fast tokens appear. Delays are slept on the mock's `MockTime`.
    public struct Timing: Sendable {
        /// Delay before the first token (prompt processing). Default 40 ms.
        public var timeToFirstToken: Duration
        /// Delay between tokens. Default 15 ms.
        public var interTokenDelay: Duration

        public init(timeToFirstToken: Duration = .milliseconds(40), interTokenDelay: Duration = .milliseconds(15)) {
            self.timeToFirstToken = timeToFirstToken
            self.interTokenDelay = interTokenDelay
        }
    }

    /// The generated tokens and why generation stopped.
    public struct Output: Sendable, Equatable {
        public var tokens: [String]
        /// `stop` or `length`.
        public var finishReason: String
        public var text: String { tokens.joined() }
    }

    private static let subjects = [
        "the gateway", "a backend", "the model", "each request", "the system", "this service", "a retry", "the client", "our cluster", "the router",
    ]
    private static let verbs = ["handles", "returns", "checks", "sends", "keeps", "measures", "routes", "loads", "streams", "records"]
    private static let objects = [
        "the answer", "every token", "a short reply", "the next step", "its health", "the response", "a clear result", "the data", "each event", "the context",
    ]
    private static let tails = [
        "quickly", "with care", "in order", "on time", "as expected", "without delay", "for the user", "again", "in the background", "by design",
    ]

    /// Generates the answer to a prompt. `maxTokens` nil or negative means unlimited.
    public static func generate(prompt: String, model: String, maxTokens: Int?) -> Output {
        var rng = SplitMix64(seed: LlamaEmbedder.fnv1a(model + "\u{0}" + prompt))
        let natural = 12 + Int(rng.next() % 37)
        let limit = maxTokens.flatMap { $0 >= 0 ? $0 : nil } ?? Int.max
        var tokens: [String] = []
        while tokens.count < natural {
            let sentence = [subjects, verbs, objects, tails].map { $0[Int(rng.next() % UInt64($0.count))] }.joined(separator: " ")
            let words = sentence.split(separator: " ").map(String.init)
            for (i, word) in words.enumerated() {
                let text =
                    (tokens.isEmpty && i == 0)
                    ? word.prefix(1).uppercased() + word.dropFirst()
                    : (i == 0 ? " " + word.prefix(1).uppercased() + word.dropFirst() : " " + word)
                tokens.append(text)
            }
            tokens.append(".")
        }
        if tokens.count > limit {
            return Output(tokens: Array(tokens.prefix(limit)), finishReason: "length")
        }
        return Output(tokens: tokens, finishReason: "stop")
    }

    /// Prompt tokens of a chat rendered with a ChatML template: BOS, then per message the
    /// `<|im_start|>role\n…<|im_end|>\n` markers (14 tokens as plain text) plus role and content,
    /// then the 12-token generation prompt. One "Hello" message gives 29, as in the transcripts.
    public static func promptTokens(messages: [(role: String, content: String)]) -> Int {
        1 + messages.reduce(0) { $0 + 14 + LlamaTokenizer.countWithoutBOS($1.role) + LlamaTokenizer.countWithoutBOS($1.content) } + 12
    }
}
