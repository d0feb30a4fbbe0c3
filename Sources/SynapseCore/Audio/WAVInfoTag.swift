/// One entry of a RIFF `LIST`/`INFO` chunk: a four-character id (`INAM`, `IART`, `ICMT`,
/// `ISFT`...) and a text value.
public struct WAVInfoTag: Equatable, Sendable {
    /// Four ASCII characters, e.g. `ICMT`.
    public var id: String
    /// The text, without the terminating NUL.
    public var value: String

    public init(_ id: String, _ value: String) {
        precondition(id.utf8.count == 4, "an INFO tag id has four ASCII characters")
        self.id = id
        self.value = value
    }

    /// The tags in the body of a `LIST` chunk; empty unless its list type is `INFO`.
    static func parse(listBody body: [UInt8]) -> [WAVInfoTag] {
        guard body.count >= 4, body.fourCC(at: 0) == "INFO" else { return [] }
        var tags: [WAVInfoTag] = []
        var offset = 4
        while offset + 8 <= body.count {
            let id = body.fourCC(at: offset)
            let size = Int(body.littleEndianUInt32(at: offset + 4))
            let start = offset + 8
            // Be lenient with a last tag that claims more than the list holds: keep what is there.
            let end = min(start + size, body.count)
            var text = body[start..<end]
            // Values are NUL-terminated (sometimes padded with several NULs).
            while let last = text.last, last == 0 { text = text.dropLast() }
            if id.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
                tags.append(WAVInfoTag(id, String(decoding: text, as: UTF8.self)))
            }
            offset = start + size + (size & 1)
        }
        return tags
    }

    /// A complete `LIST` chunk (header included) holding these tags, or nothing if there are none.
    static func listChunk(_ tags: [WAVInfoTag]) -> [UInt8] {
        guard !tags.isEmpty else { return [] }
        var body: [UInt8] = []
        body.appendFourCC("INFO")
        for tag in tags {
            let text = Array(tag.value.utf8) + [0]
            body.appendFourCC(tag.id)
            body.appendLittleEndian(UInt32(text.count))
            body += text
            if text.count & 1 == 1 { body.append(0) }
        }
        var chunk: [UInt8] = []
        chunk.appendFourCC("LIST")
        chunk.appendLittleEndian(UInt32(body.count))
        return chunk + body
    }
}
