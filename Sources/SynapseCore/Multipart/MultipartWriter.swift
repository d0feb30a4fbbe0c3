/// Writes `multipart/form-data` bodies (RFC 7578), the counterpart of `MultipartParser`.
///
/// A part is its head, its body and its tail; the body ends with the closing delimiter:
///
/// ```
/// --BOUNDARY\r\n                                         ┐
/// Content-Disposition: form-data; name="file"; filename="a.wav"\r\n │ partHead(…)
/// Content-Type: audio/wav\r\n                              │
/// \r\n                                                     ┘
/// …the part's bytes…                                       (streamed or whole)
/// \r\n                                                     partTail
/// --BOUNDARY--\r\n                                         end
/// ```
///
/// Heads and tails are separate so that a large file part can be streamed between them without
/// being held; `part(_:)` and `body(_:)` build small bodies whole.
public struct MultipartWriter: Sendable {
    /// One field of a form, for bodies built whole.
    public struct Part: Sendable {
        public var name: String
        public var filename: String?
        public var contentType: String?
        public var body: [UInt8]

        public init(name: String, filename: String? = nil, contentType: String? = nil, body: [UInt8]) {
            self.name = name
            self.filename = filename
            self.contentType = contentType
            self.body = body
        }

        /// A text field.
        public init(name: String, value: String) {
            self.init(name: name, body: Array(value.utf8))
        }
    }

    public let boundary: String

    /// - Precondition: `boundary` is 1–70 characters of RFC 2046's set (letters, digits and
    ///   `'()+_,-./:=?`; no space, so it never needs quoting): a caller's mistake, not input.
    public init(boundary: String) {
        precondition(Self.isValid(boundary: boundary), "invalid multipart boundary")
        self.boundary = boundary
    }

    /// The request's `Content-Type` header value.
    public var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// The delimiter line and headers of a part, up to and including the blank line.
    ///
    /// Names and file names are quoted as browsers do (WHATWG): `"`, CR and LF become `%22`,
    /// `%0D` and `%0A`, so no value can end the header early.
    public func partHead(name: String, filename: String? = nil, contentType: String? = nil) -> [UInt8] {
        var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.escaped(name))\""
        if let filename { head += "; filename=\"\(Self.escaped(filename))\"" }
        head += "\r\n"
        if let contentType { head += "Content-Type: \(contentType)\r\n" }
        head += "\r\n"
        return Array(head.utf8)
    }

    /// What follows every part's body (the line break before the next delimiter).
    public static let partTail: [UInt8] = [0x0D, 0x0A]

    /// The closing delimiter, after the last part.
    public var end: [UInt8] { Array("--\(boundary)--\r\n".utf8) }

    /// One whole part: head, body and tail.
    public func part(_ part: Part) -> [UInt8] {
        partHead(name: part.name, filename: part.filename, contentType: part.contentType) + part.body + Self.partTail
    }

    /// A whole body: every part, then the closing delimiter.
    public func body(_ parts: [Part]) -> [UInt8] {
        var bytes: [UInt8] = []
        for item in parts { bytes += part(item) }
        return bytes + end
    }

    private static func escaped(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) else { return value }
        var out = ""
        for character in value.unicodeScalars {
            switch character {
            case "\"": out += "%22"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// Whether `boundary` may be used: 1–70 characters, none outside RFC 2046's set or a space.
    public static func isValid(boundary: String) -> Bool {
        (1...70).contains(boundary.utf8.count) && boundary.utf8.allSatisfy(isBoundaryByte)
    }

    private static func isBoundaryByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): true
        default: "'()+_,-./:=?".utf8.contains(byte)
        }
    }
}
