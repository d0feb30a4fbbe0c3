/// The text frames of an ID3v2.3/2.4 tag at the start of an MP3, named as Vorbis comments.
public enum ID3v2 {
    /// ID3v2 frame ids and the Vorbis comment names they correspond to.
    static let names = ["TIT2": "TITLE", "TPE1": "ARTIST", "TALB": "ALBUM", "TSSE": "ENCODER", "TLAN": "LANGUAGE"]

    /// Where the audio starts: after the ID3v2 tags at the front of `bytes`, if any (10-byte header,
    /// syncsafe size, 10-byte footer when flagged; taggers sometimes stack several).
    static func end(of bytes: [UInt8]) -> Int {
        var offset = 0
        while offset + 10 <= bytes.count, bytes[offset..<offset + 3].elementsEqual("ID3".utf8) {
            let size = bytes[(offset + 6)..<(offset + 10)].reduce(0) { $0 << 7 | Int($1 & 0x7F) }
            offset += 10 + size + (bytes[offset + 5] & 0x10 != 0 ? 10 : 0)
        }
        return min(offset, bytes.count)
    }

    /// An ID3v2.4 tag of UTF-8 text frames, e.g. `[("TIT2", "Hello")]`, to put before MP3 frames.
    public static func tag(_ frames: [(id: String, text: String)]) -> [UInt8] {
        var body: [UInt8] = []
        for (id, text) in frames {
            let payload = [3] + Array(text.utf8)
            body += Array(id.utf8) + syncsafe(payload.count) + [0, 0] + payload
        }
        return Array("ID3".utf8) + [4, 0, 0] + syncsafe(body.count) + body
    }

    /// Sizes in ID3v2.4 headers: 28 bits, 7 per byte, so no byte can look like an MPEG sync.
    private static func syncsafe(_ value: Int) -> [UInt8] {
        [21, 14, 7, 0].map { UInt8((value >> $0) & 0x7F) }
    }

    /// `tag` is the whole tag, header included (the mocks' own tags have no unsynchronisation or
    /// extended header; frames using them are skipped by their sizes like any other).
    static func textFrames(_ tag: ArraySlice<UInt8>) -> [String: String] {
        let bytes = Array(tag)
        guard bytes.count >= 10 else { return [:] }
        let version = bytes[3]
        var offset = 10
        var frames: [String: String] = [:]
        while offset + 10 <= bytes.count, bytes[offset] != 0 {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let sizeBytes = bytes[offset + 4..<offset + 8]
            // ID3v2.4 frame sizes are syncsafe (7 bits a byte); v2.3 sizes are plain.
            let size = sizeBytes.reduce(0) { version >= 4 ? $0 << 7 | Int($1 & 0x7F) : $0 << 8 | Int($1) }
            let body = offset + 10
            guard size > 0, body + size <= bytes.count else { break }
            if let name = names[id] { frames[name] = text(bytes[body..<body + size]) }
            offset = body + size
        }
        return frames
    }

    /// A text frame's value: an encoding byte (0 Latin-1, 1 UTF-16 with BOM, 2 UTF-16BE, 3 UTF-8),
    /// then the text, possibly NUL-terminated.
    static func text(_ frame: ArraySlice<UInt8>) -> String {
        guard let encoding = frame.first else { return "" }
        let payload = Array(frame.dropFirst())
        let value: String
        switch encoding {
        case 1, 2:
            var units: [UInt16] = []
            var index = 0
            var bigEndian = encoding == 2
            if encoding == 1, payload.count >= 2 {
                bigEndian = payload[0] == 0xFE
                index = 2
            }
            while index + 1 < payload.count {
                let unit = bigEndian ? UInt16(payload[index]) << 8 | UInt16(payload[index + 1]) : UInt16(payload[index + 1]) << 8 | UInt16(payload[index])
                units.append(unit)
                index += 2
            }
            value = String(decoding: units, as: UTF16.self)
        case 3:
            value = String(decoding: payload, as: UTF8.self)
        default:
            value = String(payload.map { Character(Unicode.Scalar($0)) })
        }
        // Frames may end in (or list several values separated by) NUL: the first value is the one.
        return value.split(separator: "\0", omittingEmptySubsequences: false).first.map(String.init) ?? ""
    }
}
