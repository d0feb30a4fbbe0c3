import Foundation

/// A voice's identifier: its folder name in the library, so it is checked before it ever touches a path.
///
/// Accepted ids are 1–64 characters of `a-f`, `0-9` and `-`: the gateway's own 12-hex ids and the
/// original gateway's UUIDs both fit, while `..`, `/`, `%2e` and every other traversal attempt do
/// not. An id that fails the check is answered like an absent voice (404), never looked up on disk.
public struct VoiceID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Nil unless `rawValue` is a plain id.
    public init?(_ rawValue: String) {
        guard (1...64).contains(rawValue.utf8.count),
            rawValue.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x66) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D })
        else { return nil }
        self.rawValue = rawValue
    }

    /// A fresh id: the first 12 hex digits of a random UUID (48 random bits; a collision is also
    /// caught by the publishing rename, which refuses to replace an existing folder).
    public static func generate() -> VoiceID {
        let hex = UUID().uuidString.lowercased().filter { $0 != "-" }
        return VoiceID(String(hex.prefix(12)))!
    }

    public var description: String { rawValue }
}
