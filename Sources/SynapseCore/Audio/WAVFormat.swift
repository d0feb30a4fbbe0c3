/// The fields of a WAV `fmt ` chunk.
public struct WAVFormat: Equatable, Sendable {
    /// How samples are encoded, resolved through `WAVE_FORMAT_EXTENSIBLE` to the sub-format.
    public enum Encoding: Equatable, Sendable {
        /// Signed integer PCM (unsigned for 8 bits), little-endian.
        case pcm
        /// IEEE float (32 or 64 bits).
        case float
        /// G.711 A-law.
        case aLaw
        /// G.711 µ-law.
        case muLaw
        /// Anything else (ADPCM, MPEG...), with its format tag.
        case other(UInt16)
    }

    /// `WAVE_FORMAT_PCM`.
    public static let pcmTag: UInt16 = 0x0001
    /// `WAVE_FORMAT_IEEE_FLOAT`.
    public static let floatTag: UInt16 = 0x0003
    /// `WAVE_FORMAT_EXTENSIBLE`: the real format is the first two bytes of the sub-format GUID.
    public static let extensibleTag: UInt16 = 0xFFFE

    /// The format tag as written in the file (may be `0xFFFE`).
    public var formatTag: UInt16
    /// The effective encoding (the sub-format for extensible files).
    public var encoding: Encoding
    public var channels: Int
    /// Frames per second, e.g. 24000.
    public var sampleRate: Int
    /// Declared bytes per second (`sampleRate × blockAlign` for PCM).
    public var byteRate: Int
    /// Bytes per frame (all channels).
    public var blockAlign: Int
    /// Container bits per sample (16 for PCM16).
    public var bitsPerSample: Int

    public init(
        formatTag: UInt16, encoding: Encoding, channels: Int, sampleRate: Int, byteRate: Int, blockAlign: Int,
        bitsPerSample: Int
    ) {
        self.formatTag = formatTag
        self.encoding = encoding
        self.channels = channels
        self.sampleRate = sampleRate
        self.byteRate = byteRate
        self.blockAlign = blockAlign
        self.bitsPerSample = bitsPerSample
    }

    /// Plain PCM, e.g. `WAVFormat.pcm16(channels: 1, sampleRate: 24000)`.
    public static func pcm16(channels: Int = 1, sampleRate: Int) -> WAVFormat {
        WAVFormat(
            formatTag: pcmTag, encoding: .pcm, channels: channels, sampleRate: sampleRate,
            byteRate: sampleRate * channels * 2, blockAlign: channels * 2, bitsPerSample: 16)
    }

    /// Whether `WAVFile` can decode these samples (8/16/24/32-bit PCM, 32/64-bit float).
    public var isDecodable: Bool {
        switch encoding {
        case .pcm: [8, 16, 24, 32].contains(bitsPerSample) && blockAlign == channels * bitsPerSample / 8
        case .float: [32, 64].contains(bitsPerSample) && blockAlign == channels * bitsPerSample / 8
        default: false
        }
    }

    /// Parses the body of a `fmt ` chunk (without its 8-byte chunk header).
    static func parse(chunkBody body: [UInt8]) throws(WAVError) -> WAVFormat {
        guard body.count >= 16 else { throw .invalidFormat(reason: "fmt chunk is \(body.count) bytes, expected at least 16") }
        let tag = body.littleEndianUInt16(at: 0)
        let channels = Int(body.littleEndianUInt16(at: 2))
        let sampleRate = Int(body.littleEndianUInt32(at: 4))
        let byteRate = Int(body.littleEndianUInt32(at: 8))
        let blockAlign = Int(body.littleEndianUInt16(at: 12))
        let bits = Int(body.littleEndianUInt16(at: 14))
        guard channels > 0 else { throw .invalidFormat(reason: "zero channels") }
        guard sampleRate > 0 else { throw .invalidFormat(reason: "zero sample rate") }
        guard blockAlign > 0 else { throw .invalidFormat(reason: "zero block align") }

        var effectiveTag = tag
        if tag == extensibleTag {
            // cbSize(2) validBits(2) channelMask(4) then the 16-byte GUID whose first two bytes are the tag.
            guard body.count >= 40 else { throw .invalidFormat(reason: "extensible fmt chunk is \(body.count) bytes, expected 40") }
            effectiveTag = body.littleEndianUInt16(at: 24)
        }
        let encoding: Encoding =
            switch effectiveTag {
            case pcmTag: .pcm
            case floatTag: .float
            case 0x0006: .aLaw
            case 0x0007: .muLaw
            default: .other(effectiveTag)
            }
        return WAVFormat(
            formatTag: tag, encoding: encoding, channels: channels, sampleRate: sampleRate, byteRate: byteRate,
            blockAlign: blockAlign, bitsPerSample: bits)
    }

    /// The 16-byte `fmt ` body for plain PCM / float (no extension).
    var chunkBody: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        bytes.appendLittleEndian(formatTag)
        bytes.appendLittleEndian(UInt16(channels))
        bytes.appendLittleEndian(UInt32(sampleRate))
        bytes.appendLittleEndian(UInt32(byteRate))
        bytes.appendLittleEndian(UInt16(blockAlign))
        bytes.appendLittleEndian(UInt16(bitsPerSample))
        return bytes
    }
}
