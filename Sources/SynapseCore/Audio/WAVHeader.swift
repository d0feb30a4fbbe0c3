/// Everything in a RIFF/WAVE file up to the first sample: format, where the samples are, and
/// any `LIST`/`INFO` tags that precede them.
///
/// ```
/// "RIFF" size "WAVE" │ "fmt " n body │ ["LIST" n "INFO" tags] │ [other chunks, skipped] │ "data" n samples…
/// └──── 12 bytes ────┘ └──── chunks, each padded to an even size ─────────────────────────┘
/// ```
///
/// Works on a prefix while an upload streams in: `parse(prefix:)` answers `.needMoreBytes`
/// until the `data` chunk header has arrived, and throws as soon as the bytes cannot be a WAV.
public struct WAVHeader: Equatable, Sendable {
    /// The outcome of looking at the first bytes of a file.
    public enum PrefixResult: Equatable, Sendable {
        /// The bytes so far are a valid beginning, but the header is not complete yet.
        case needMoreBytes
        /// The whole header is there.
        case header(WAVHeader)
    }

    /// Default cap on the bytes before `data`, so a stream of junk chunks cannot grow the buffer forever.
    public static let defaultMaximumHeaderSize = 1 << 20

    public var format: WAVFormat
    /// Offset of the first sample byte (just after the `data` chunk header).
    public var dataOffset: Int
    /// The size the `data` chunk declares. Streaming writers may put `0xFFFFFFFF` or 0 here.
    public var declaredDataSize: UInt32
    /// `LIST`/`INFO` tags found before `data`, in file order (e.g. `("ICMT", "hello")`).
    public var infoTags: [WAVInfoTag]

    public init(format: WAVFormat, dataOffset: Int, declaredDataSize: UInt32, infoTags: [WAVInfoTag] = []) {
        self.format = format
        self.dataOffset = dataOffset
        self.declaredDataSize = declaredDataSize
        self.infoTags = infoTags
    }

    /// Size of the sample data in a file of `fileSize` bytes: the declared size, cut to what is
    /// there (streamed files often declare more, or `0xFFFFFFFF`), and to whole frames.
    public func dataSize(inFileOfSize fileSize: Int) -> Int {
        let available = max(0, fileSize - dataOffset)
        let declared = Int(declaredDataSize)
        let size = (declared == 0 || declaredDataSize == .max) ? available : min(declared, available)
        return size - size % format.blockAlign
    }

    /// Number of frames in the declared data chunk.
    public var frameCount: Int { Int(declaredDataSize) / format.blockAlign }

    /// Duration of the declared data chunk in seconds.
    public var duration: Double { Double(frameCount) / Double(format.sampleRate) }

    /// Duration in seconds of the samples actually present in a file of `fileSize` bytes.
    public func duration(inFileOfSize fileSize: Int) -> Double {
        Double(dataSize(inFileOfSize: fileSize) / format.blockAlign) / Double(format.sampleRate)
    }

    /// The value of the first INFO tag with this id (`ICMT`, `IART`, ...).
    public func infoValue(_ id: String) -> String? { infoTags.first { $0.id == id }?.value }

    /// Parses the first bytes of a file that may still be arriving.
    ///
    /// - Returns: `.needMoreBytes` while the bytes are a valid beginning; `.header` once the
    ///   `data` chunk header has been seen.
    /// - Throws: `WAVError` as soon as the bytes cannot start a usable WAV.
    public static func parse(
        prefix bytes: [UInt8], maximumHeaderSize: Int = defaultMaximumHeaderSize
    ) throws(WAVError) -> PrefixResult {
        // Check the magic on partial input too, so an upload of the wrong type fails at byte 4.
        let riff = Array("RIFF".utf8)
        let wave = Array("WAVE".utf8)
        for index in 0..<min(4, bytes.count) where bytes[index] != riff[index] { throw .notRIFF }
        for index in stride(from: 8, to: min(12, bytes.count), by: 1) where bytes[index] != wave[index - 8] { throw .notWAVE }
        guard bytes.count >= 12 else { return .needMoreBytes }

        var format: WAVFormat?
        var tags: [WAVInfoTag] = []
        var offset = 12
        while true {
            guard offset <= maximumHeaderSize else { throw .headerTooLarge(limit: maximumHeaderSize) }
            guard offset + 8 <= bytes.count else { return .needMoreBytes }
            let id = bytes.fourCC(at: offset)
            let size = Int(bytes.littleEndianUInt32(at: offset + 4))
            let bodyStart = offset + 8
            if id == "data" {
                guard let format else { throw .missingFormatChunk }
                return .header(WAVHeader(format: format, dataOffset: bodyStart, declaredDataSize: UInt32(size), infoTags: tags))
            }
            guard bodyStart + size <= maximumHeaderSize else { throw .headerTooLarge(limit: maximumHeaderSize) }
            // Chunks before `data` are read whole; odd sizes are followed by one pad byte.
            guard bodyStart + size <= bytes.count else { return .needMoreBytes }
            let body = Array(bytes[bodyStart..<bodyStart + size])
            switch id {
            case "fmt ": format = try WAVFormat.parse(chunkBody: body)
            case "LIST": tags += WAVInfoTag.parse(listBody: body)
            default: break
            }
            offset = bodyStart + size + (size & 1)
        }
    }

    /// Parses the header of a complete file (or of a prefix known to be all there is).
    ///
    /// - Throws: `WAVError.truncated` or `.missingDataChunk` where `parse(prefix:)` would ask for more.
    public static func parse(_ bytes: [UInt8], maximumHeaderSize: Int = defaultMaximumHeaderSize) throws(WAVError) -> WAVHeader {
        switch try parse(prefix: bytes, maximumHeaderSize: maximumHeaderSize) {
        case .header(let header): return header
        case .needMoreBytes:
            // Tell "cut inside a chunk" apart from "all chunks complete, but none is data".
            if bytes.count < 12 { throw .truncated }
            var offset = 12
            var sawFormat = false
            while offset + 8 <= bytes.count {
                let size = Int(bytes.littleEndianUInt32(at: offset + 4))
                if bytes.fourCC(at: offset) == "fmt " { sawFormat = true }
                offset += 8 + size + (size & 1)
            }
            // A chunk running past the end (a missing final pad byte is tolerated) or a partial
            // chunk header means the file was cut; otherwise every chunk is whole and data is absent.
            let leftover = bytes.count - offset
            if leftover < -1 || (leftover > 0 && leftover < 8) { throw .truncated }
            throw sawFormat ? .missingDataChunk : .missingFormatChunk
        }
    }
}
