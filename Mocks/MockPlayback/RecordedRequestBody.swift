import SynapseCore
import SynapseHAR

/// A recorded request body made ready for matching: kept in memory (and parsed, when it is JSON)
/// up to `inMemoryLimit`; a bigger one (an audio upload) stays in its body file and is compared
/// in chunks, only with requests of the same length.
struct RecordedRequestBody: Sendable {
    /// Bodies up to 4 MiB are held in memory; JSON requests are far smaller.
    static let inMemoryLimit = 4 * 1024 * 1024

    let body: RecordedBody
    /// The bytes, when the body is small enough to keep.
    let bytes: [UInt8]?
    /// The parsed document, when the body is JSON.
    let json: JSONValue?

    init(_ body: RecordedBody) {
        self.body = body
        // An unreadable body file (removed since the archive was checked) simply matches nothing.
        let bytes = body.count <= Self.inMemoryLimit ? (try? body.readAll()) : nil
        self.bytes = bytes
        self.json = bytes.flatMap(JSONValue.parseDocument)
    }

    var count: Int { body.count }

    /// Whether the recorded bytes are exactly `other`.
    func hasBytes(equalTo other: [UInt8]) -> Bool {
        guard other.count == body.count else { return false }
        if let bytes { return bytes == other }
        return (try? BodyChunks.contents(of: body, equal: other)) ?? false
    }
}

/// A request body as received by a playback server, parsed when it is JSON.
struct IncomingBody: Sendable {
    let bytes: [UInt8]
    let json: JSONValue?

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.json = bytes.count <= RecordedRequestBody.inMemoryLimit ? JSONValue.parseDocument(bytes) : nil
    }
}

extension JSONValue {
    /// An object or array document, or nil: a bare scalar or an empty body is not taken for JSON,
    /// so a form value such as `42` is compared as bytes.
    static func parseDocument(_ bytes: [UInt8]) -> JSONValue? {
        guard let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }), first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        else { return nil }
        return try? JSONValue.parse(bytes)
    }
}
