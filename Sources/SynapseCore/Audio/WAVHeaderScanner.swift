/// Reads a WAV header incrementally while an upload streams in: each byte is looked at once.
///
/// ```
/// magic (12 bytes) ─▶ chunk header (8) ─┬─ "data"          ─▶ done: .header(WAVHeader)
///                         ▲             ├─ "fmt " / "LIST" ─▶ body kept, parsed when whole
///                         │             └─ anything else   ─▶ body skipped by count (never kept)
///                         └──── pad byte after an odd size ◀┘
/// ```
///
/// `WAVHeader.parse(prefix:)` re-reads the prefix from byte 0 on every call, so feeding it a
/// header of padding chunks 512 bytes at a time costs time quadratic in the header size. The
/// scanner gives the same answers (and the same errors, at the same byte) in linear time and
/// keeps only the `fmt ` and `LIST` bodies.
public struct WAVHeaderScanner: Sendable {
    private enum Phase: Sendable {
        case magic
        case chunkHeader
        case body(id: String, remaining: Int, pad: Bool)
        case pad
        case done(WAVHeader)
    }

    public let maximumHeaderSize: Int
    /// Bytes examined so far (at most the header's size, however the bytes were split).
    public private(set) var bytesScanned = 0
    private var phase = Phase.magic
    /// The magic, a chunk header or a kept chunk body, as far as it has arrived.
    private var buffer: [UInt8] = []
    /// File offset of the current chunk's header, then (once it is read) of the next one.
    private var chunkStart = 12
    private var format: WAVFormat?
    private var sawFormat = false
    private var tags: [WAVInfoTag] = []

    public init(maximumHeaderSize: Int = WAVHeader.defaultMaximumHeaderSize) {
        self.maximumHeaderSize = maximumHeaderSize
    }

    /// The header, once its `data` chunk header has been read.
    public var header: WAVHeader? {
        if case .done(let header) = phase { header } else { nil }
    }

    /// Reads the next bytes of the file; bytes after the `data` chunk header are ignored.
    ///
    /// - Throws: `WAVError` as soon as the bytes cannot start a usable WAV.
    @discardableResult
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(WAVError) -> WAVHeader.PrefixResult {
        var index = bytes.startIndex
        while index != bytes.endIndex {
            if case .done(let header) = phase { return .header(header) }
            let available = bytes.distance(from: index, to: bytes.endIndex)
            switch phase {
            case .done:
                break
            case .magic:
                let count = min(12 - buffer.count, available)
                let end = bytes.index(index, offsetBy: count)
                for byte in bytes[index..<end] {
                    try Self.checkMagic(byte, at: buffer.count)
                    buffer.append(byte)
                }
                index = end
                bytesScanned += count
                if buffer.count == 12 {
                    buffer = []
                    phase = .chunkHeader
                }
            case .chunkHeader:
                guard chunkStart <= maximumHeaderSize else { throw .headerTooLarge(limit: maximumHeaderSize) }
                let count = min(8 - buffer.count, available)
                let end = bytes.index(index, offsetBy: count)
                buffer += bytes[index..<end]
                index = end
                bytesScanned += count
                if buffer.count == 8 { try startChunk() }
            case .body(let id, let remaining, let pad):
                let count = min(remaining, available)
                let end = bytes.index(index, offsetBy: count)
                if Self.keeps(id) { buffer += bytes[index..<end] }
                index = end
                bytesScanned += count
                if count == remaining {
                    try endChunk(id: id, pad: pad)
                } else {
                    phase = .body(id: id, remaining: remaining - count, pad: pad)
                }
            case .pad:
                index = bytes.index(after: index)
                bytesScanned += 1
                phase = .chunkHeader
            }
        }
        if case .done(let header) = phase { return .header(header) }
        return .needMoreBytes
    }

    /// Why the header never completed, when the file ended here (what `WAVHeader.parse(_:)` says).
    public var incompleteReason: WAVError {
        switch phase {
        case .done: return .missingDataChunk
        case .magic: return .truncated
        case .chunkHeader: if !buffer.isEmpty { return .truncated }
        // Only a missing final pad byte is tolerated.
        case .body(_, let remaining, let pad): if remaining + (pad ? 1 : 0) > 1 { return .truncated }
        case .pad: break
        }
        return sawFormat ? .missingDataChunk : .missingFormatChunk
    }

    // MARK: Chunks

    private static func keeps(_ id: String) -> Bool { id == "fmt " || id == "LIST" }

    private static func checkMagic(_ byte: UInt8, at position: Int) throws(WAVError) {
        switch position {
        case 0..<4: if byte != Array("RIFF".utf8)[position] { throw .notRIFF }
        case 8..<12: if byte != Array("WAVE".utf8)[position - 8] { throw .notWAVE }
        default: break
        }
    }

    private mutating func startChunk() throws(WAVError) {
        let id = buffer.fourCC(at: 0)
        let size = Int(buffer.littleEndianUInt32(at: 4))
        buffer = []
        let bodyStart = chunkStart + 8
        if id == "data" {
            guard let format else { throw .missingFormatChunk }
            phase = .done(WAVHeader(format: format, dataOffset: bodyStart, declaredDataSize: UInt32(size), infoTags: tags))
            return
        }
        guard bodyStart + size <= maximumHeaderSize else { throw .headerTooLarge(limit: maximumHeaderSize) }
        if id == "fmt " { sawFormat = true }
        chunkStart = bodyStart + size + (size & 1)
        if size == 0 {
            try endChunk(id: id, pad: false)
        } else {
            phase = .body(id: id, remaining: size, pad: size & 1 == 1)
        }
    }

    private mutating func endChunk(id: String, pad: Bool) throws(WAVError) {
        switch id {
        case "fmt ": format = try WAVFormat.parse(chunkBody: buffer)
        case "LIST": tags += WAVInfoTag.parse(listBody: buffer)
        default: break
        }
        buffer = []
        phase = pad ? .pad : .chunkHeader
    }
}
