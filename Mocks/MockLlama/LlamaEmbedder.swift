import Foundation
import SynapseCore

/// Deterministic stand-in for an embedding model and its tokenizer.
///
/// A vector is the sum of pseudo-random directions, one per character trigram and one per word
/// (each direction drawn from `SplitMix64` seeded with the n-gram's FNV-1a hash), L2-normalised.
/// So the same text always gives the same vector, different texts give different vectors, and
/// texts sharing words or fragments point in similar directions.
public struct LlamaEmbedder: Sendable {
    /// Vector length. Default 1024 (mxbai-embed-large-v1).
    public let dimensions: Int

    public init(dimensions: Int) {
        self.dimensions = max(1, dimensions)
    }

    /// The unit-length vector for a text.
    public func vector(for text: String) -> [Float] {
        var sum = [Double](repeating: 0, count: dimensions)
        let lowered = Array(text.lowercased().unicodeScalars)
        let padded = [" "] + lowered + [" "]
        if padded.count >= 3 {
            for i in 0...(padded.count - 3) {
                add(seed: Self.fnv1a(String(String.UnicodeScalarView(padded[i..<i + 3]))), weight: 1, to: &sum)
            }
        }
        for word in text.lowercased().split(whereSeparator: { $0.isWhitespace || $0.isPunctuation }) {
            add(seed: Self.fnv1a("w:" + word), weight: 2, to: &sum)
        }
        if text.isEmpty { add(seed: Self.fnv1a("<empty>"), weight: 1, to: &sum) }
        return Self.normalised(sum)
    }

    /// The unit-length vector for a prompt given as token ids.
    public func vector(forTokens tokens: [Int]) -> [Float] {
        var sum = [Double](repeating: 0, count: dimensions)
        for (i, token) in tokens.enumerated() {
            add(seed: Self.fnv1a("t:\(token)"), weight: 2, to: &sum)
            if i > 0 { add(seed: Self.fnv1a("t:\(tokens[i - 1]),\(token)"), weight: 1, to: &sum) }
        }
        if tokens.isEmpty { add(seed: Self.fnv1a("<empty>"), weight: 1, to: &sum) }
        return Self.normalised(sum)
    }

    private func add(seed: UInt64, weight: Double, to sum: inout [Double]) {
        var rng = SplitMix64(seed: seed)
        for d in 0..<dimensions {
            // Uniform in [-1, 1): enough spread that unrelated n-grams are nearly orthogonal.
            sum[d] += weight * (Double(rng.next() >> 11) / Double(1 << 52) - 1)
        }
    }

    private static func normalised(_ v: [Double]) -> [Float] {
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return v.map { _ in Float(1 / Double(v.count).squareRoot()) } }
        return v.map { Float($0 / norm) }
    }

    /// 64-bit FNV-1a over UTF-8: stable across runs and platforms, unlike `Hasher`.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The raw little-endian float32 bytes, base64-encoded (`encoding_format: "base64"`).
    public static func base64(_ vector: [Float]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(vector.count * 4)
        for value in vector {
            let bits = value.bitPattern.littleEndian
            withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
        }
        return Data(bytes).base64EncodedString()
    }
}

/// A plausible, deterministic token count in the style of an SPM/WordPiece tokenizer:
/// a BOS token, then one token per short word and one more per further four characters.
public enum LlamaTokenizer {
    /// Tokens for a text, including the BOS token (so an empty text is 1 token, as in llama.cpp).
    public static func count(_ text: String) -> Int {
        1 + countWithoutBOS(text)
    }

    /// Tokens for a text without the BOS token.
    public static func countWithoutBOS(_ text: String) -> Int {
        var total = 0
        for word in text.split(whereSeparator: \.isWhitespace) {
            var letters = 0
            for ch in word {
                if ch.isLetter || ch.isNumber {
                    letters += 1
                } else {
                    total += 1  // punctuation and symbols are tokens of their own
                }
            }
            if letters > 0 { total += 1 + (letters - 1) / 6 }
        }
        return total
    }
}
