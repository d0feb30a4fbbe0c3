/// A whole `multipart/form-data` body, parsed at once (for bodies already in memory).
public enum MultipartForm {
    /// One part of a form: its headers and its complete body.
    public struct Part: Sendable, Equatable {
        /// The part's parsed header block.
        public var head: MultipartPartHead
        /// The part's body bytes.
        public var body: [UInt8]

        public init(head: MultipartPartHead, body: [UInt8]) {
            self.head = head
            self.body = body
        }

        /// The form field name.
        public var name: String { head.name }
        /// The uploaded file's name, if this part is a file.
        public var filename: String? { head.filename }
        /// The part's `Content-Type`, if sent.
        public var contentType: String? { head.contentType }
        /// Every header of the part, in order.
        public var headers: [(String, String)] { head.headers }
    }

    /// Parses a complete body into its parts; throws if the closing delimiter is missing.
    public static func parse(body: some Collection<UInt8>, boundary: String) throws(MultipartError) -> [Part] {
        var parser = try MultipartParser(boundary: boundary)
        var parts: [Part] = []
        var current: Part?
        for event in try parser.feed(body) {
            switch event {
            case .partStart(let head):
                current = Part(head: head, body: [])
            case .bodyBytes(let bytes):
                current?.body.append(contentsOf: bytes)
            case .partEnd:
                if let part = current { parts.append(part) }
                current = nil
            case .end:
                break
            }
        }
        try parser.finish()
        return parts
    }

    /// The `boundary` parameter of a `multipart/*` content type (quoted or not); nil for other
    /// media types or when the parameter is missing or empty.
    public static func boundary(fromContentType contentType: String) -> String? {
        let parsed = HeaderParameters(contentType)
        guard parsed.value.lowercased().hasPrefix("multipart/"), let boundary = parsed["boundary"], !boundary.isEmpty else {
            return nil
        }
        return boundary
    }
}
