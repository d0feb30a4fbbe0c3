/// The header block of one `multipart/form-data` part, with the fields callers usually want.
public struct MultipartPartHead: Sendable, Equatable {
    /// The form field name from `Content-Disposition: form-data; name="…"`; empty when absent.
    public var name: String
    /// The file name, from `filename*=` (RFC 5987, percent-decoded) when present, else `filename=`.
    public var filename: String?
    /// The part's `Content-Type` header, verbatim.
    public var contentType: String?
    /// Every header line of the part, in order, names as sent.
    public var headers: [(String, String)]

    public init(name: String, filename: String? = nil, contentType: String? = nil, headers: [(String, String)] = []) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.headers = headers
    }

    /// Builds the head from raw header lines, reading `Content-Disposition` and `Content-Type`.
    public init(headers: [(String, String)]) {
        self.init(name: "", headers: headers)
        for (field, value) in headers {
            switch field.lowercased() {
            case "content-type":
                self.contentType = value
            case "content-disposition":
                let parameters = HeaderParameters(value)
                self.name = parameters["name"] ?? ""
                if let extended = parameters["filename*"], let decoded = HeaderParameters.decodeExtended(extended) {
                    self.filename = decoded
                } else {
                    self.filename = parameters["filename"]
                }
            default:
                break
            }
        }
    }

    /// The first header with this name (case-insensitive).
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.0.lowercased() == lowered }?.1
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.name == rhs.name && lhs.filename == rhs.filename && lhs.contentType == rhs.contentType
            && lhs.headers.elementsEqual(rhs.headers) { $0.0 == $1.0 && $0.1 == $1.1 }
    }
}
