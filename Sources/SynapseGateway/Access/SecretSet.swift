import SynapseCore

/// A set of secrets (API keys, the admin token) that a presented value is checked against in
/// constant time.
///
/// Only SHA-256 digests are kept, and a check hashes the presented value and compares it with
/// every digest, folding the differences with XOR/OR and never stopping early: the time taken
/// depends neither on how many leading bytes matched nor on the secrets' lengths.
struct SecretSet: Sendable {
    private let digests: [[UInt8]]

    init(_ secrets: [String]) {
        digests = secrets.filter { !$0.isEmpty }.map { Self.digest($0) }
    }

    var isEmpty: Bool { digests.isEmpty }

    /// Whether `presented` is one of the secrets.
    func contains(_ presented: String) -> Bool {
        let candidate = Self.digest(presented)
        var found = false
        for digest in digests {
            var difference: UInt8 = 0
            for index in 0..<32 { difference |= digest[index] ^ candidate[index] }
            // No short-circuit: every digest is compared whatever the outcome so far.
            found = found || difference == 0
        }
        return found
    }

    private static func digest(_ text: String) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(Array(text.utf8))
        return hasher.finalize()
    }
}
