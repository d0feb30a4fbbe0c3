import SynapseCore

/// `capture:` on a request step: a value from the response (or from what the step sent), kept
/// under a name so that later steps can use it as `${name}` — the server chooses `voice_id`, the
/// scenario only learns it from the answer.
///
/// ```yaml
/// - request: {path: /voices, multipart: [...]}
///   capture: {voice_a: json.voice_id, ref_a: sent.files.sha256}
/// - request: {path: "/voices/${voice_a}"}
/// ```
public struct Capture: Sendable {
    /// Where the value comes from (always the step's first response when it sent several).
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        /// `json.PATH`: the value at a JSON path of the response body.
        case json(String)
        /// `header.NAME`: a response header (name compared case-insensitively).
        case header(String)
        /// `status`: the response status.
        case status
        /// `sent.PART.sha256`: SHA-256 (lowercase hex) of the first multipart part named PART the step sent.
        case sentPartSHA256(String)
        /// `sent.sha256`: SHA-256 (lowercase hex) of the whole body the step sent.
        case sentBodySHA256

        /// Reads `json.voice_id`, `header.Location`, `status`, `sent.files.sha256`, `sent.sha256`.
        public init?(_ text: String) {
            if text == "status" {
                self = .status
            } else if text == "sent.sha256" {
                self = .sentBodySHA256
            } else if text.hasPrefix("json."), text.count > 5 {
                self = .json(String(text.dropFirst(5)))
            } else if text.hasPrefix("header."), text.count > 7 {
                self = .header(String(text.dropFirst(7)))
            } else if text.hasPrefix("sent."), text.hasSuffix(".sha256"), text.count > 12 {
                self = .sentPartSHA256(String(text.dropFirst(5).dropLast(7)))
            } else {
                return nil
            }
        }

        public var description: String {
            switch self {
            case .json(let path): "json.\(path)"
            case .header(let name): "header.\(name)"
            case .status: "status"
            case .sentPartSHA256(let part): "sent.\(part).sha256"
            case .sentBodySHA256: "sent.sha256"
            }
        }
    }

    /// The variable's name: a letter or `_`, then letters, digits or `_`.
    public var name: String
    public var source: Source

    public init(name: String, source: Source) {
        self.name = name
        self.source = source
    }

    /// Whether `name` can be a variable name.
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic, first.isASCII else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }
}
