/// The name of a backend (`llama-embed`, `chatterbox-tts`): its identity in config, logs, metrics and faults.
///
/// Lowercase letters, digits and `-`, starting with a letter, so it is safe in URLs, metric labels
/// and environment variable names.
public struct BackendID: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let rawValue: String

    /// Validates `rawValue`; returns nil for anything that is not a plain id.
    public init?(_ rawValue: String) {
        guard let first = rawValue.unicodeScalars.first, ("a"..."z").contains(first),
            rawValue.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        else { return nil }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }
    public static func < (lhs: BackendID, rhs: BackendID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let id = BackendID(raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a backend id: \(raw)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
