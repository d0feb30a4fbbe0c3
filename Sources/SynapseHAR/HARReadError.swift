/// Why a recording cannot be used, naming the file and, where there is one, the entry.
public struct HARReadError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 0-based index in the file's `log.entries`, and the request it holds (`POST /v1/embeddings`).
    public var entry: Int?
    public var request: String?
    public var problem: String

    public init(file: String, entry: Int? = nil, request: String? = nil, problem: String) {
        self.file = file
        self.entry = entry
        self.request = request
        self.problem = problem
    }

    public var description: String {
        guard let entry else { return "\(file): \(problem)" }
        return "\(file): entry \(entry)\(request.map { " (\($0))" } ?? ""): \(problem)"
    }

    /// `log.entries[3].request: key "method" is missing` rather than Foundation's dump.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce(into: "") { text, key in
                if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : ".\(key.stringValue)" }
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath).isEmpty ? "the document" : path(context.codingPath)): key \"\(key.stringValue)\" is missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(type), found null"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
