/// The name of one shard of a split GGUF model, `NAME-00001-of-00003` (llama.cpp's
/// `llama_split_path` pattern `%s-%05d-of-%05d.gguf`, without the extension).
///
/// The real router's `--models-dir` scan lists each top-level `*.gguf` file as its own model, so a
/// split model placed at the top level appears once per shard; only the first shard loads (the
/// others make the child exit 1: a model must be loaded from its first split). Synapse collapses
/// such ids into one, matching `^(.+)-(\d+)-of-(\d+)$`.
public struct LlamaSplitName: Sendable, Hashable {
    /// The model name before `-NNNNN-of-NNNNN`.
    public let base: String
    /// The shard number, from 1.
    public let part: Int
    /// The number of shards.
    public let count: Int

    /// Parses an id; nil unless it ends in `-DIGITS-of-DIGITS` with a non-empty base.
    public init?(_ id: String) {
        let pieces = id.split(separator: "-", omittingEmptySubsequences: false)
        guard pieces.count >= 4, pieces[pieces.count - 2] == "of" else { return nil }
        let partText = pieces[pieces.count - 3]
        let countText = pieces[pieces.count - 1]
        guard let part = Int(partText), let count = Int(countText),
            partText.allSatisfy(\.isASCII) && partText.allSatisfy(\.isNumber),
            countText.allSatisfy(\.isASCII) && countText.allSatisfy(\.isNumber)
        else { return nil }
        let base = pieces[..<(pieces.count - 3)].joined(separator: "-")
        guard !base.isEmpty else { return nil }
        self.base = base
        self.part = part
        self.count = count
    }

    /// The id of shard `part` of `count` of the model `base`.
    public static func id(base: String, part: Int, count: Int) -> String {
        "\(base)-\(fiveDigits(part))-of-\(fiveDigits(count))"
    }

    private static func fiveDigits(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }
}

extension LlamaRouterMock.Model {
    /// The shards of a split model as the router lists them, one model per `*.gguf` file:
    /// `base-00001-of-0000N` … `base-0000N-of-0000N`, each at `/models/llm/<id>.gguf`.
    public static func split(_ base: String, parts: Int, info: LlamaModelInfo = .qwen3_8B) -> [Self] {
        (1...max(1, parts)).map { Self(id: LlamaSplitName.id(base: base, part: $0, count: parts), info: info) }
    }
}
