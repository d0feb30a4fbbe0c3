/// Wraps Opus packets in an Ogg Opus file (RFC 7845): `OpusHead` and `OpusTags` on pages of their
/// own, then the audio packets with granule positions counted in 48 kHz samples, pre-skip included.
/// The last page's granule position is `preSkip + sampleCount`, which trims the padded final frame
/// to the exact input length.
public struct OggOpusWriter: Sendable {
    public var serialNumber: UInt32
    public var preSkip: Int
    /// The original input rate, for information only (`OpusHead` field; decoders output 48 kHz).
    public var inputSampleRate: Int
    public var vendor: String
    /// `KEY=value` user comments.
    public var comments: [(String, String)]

    public init(serialNumber: UInt32, preSkip: Int = OpusEncoder.preSkip, inputSampleRate: Int, vendor: String, comments: [(String, String)]) {
        self.serialNumber = serialNumber
        self.preSkip = preSkip
        self.inputSampleRate = inputSampleRate
        self.vendor = vendor
        self.comments = comments
    }

    /// The file for `packets` of 20 ms each, holding `sampleCount` samples at 48 kHz.
    public func file(packets: [[UInt8]], sampleCount: Int) -> [UInt8] {
        var writer = OggStreamWriter(serialNumber: serialNumber)
        writer.addPacket(head(), granulePosition: 0, flush: true)
        writer.addPacket(tags(), granulePosition: 0, flush: true)
        let total = Int64(preSkip + sampleCount)
        for (index, packet) in packets.enumerated() {
            let isLast = index == packets.count - 1
            let granule = isLast ? total : Int64((index + 1) * OpusEncoder.frameSize)
            writer.addPacket(packet, granulePosition: granule)
        }
        return writer.finish()
    }

    /// `OpusHead`: version 1, one channel, pre-skip, input rate, output gain 0, mapping family 0.
    public func head() -> [UInt8] {
        var packet = Array("OpusHead".utf8) + [1, 1]
        packet += Self.littleEndian(preSkip, bytes: 2)
        packet += Self.littleEndian(inputSampleRate, bytes: 4)
        packet += [0, 0, 0]
        return packet
    }

    /// `OpusTags`: vendor string, then the comments as length-prefixed `KEY=value` strings.
    public func tags() -> [UInt8] {
        func field(_ text: String) -> [UInt8] {
            let bytes = Array(text.utf8)
            return Self.littleEndian(bytes.count, bytes: 4) + bytes
        }
        var packet = Array("OpusTags".utf8) + field(vendor)
        packet += Self.littleEndian(comments.count, bytes: 4)
        for (key, value) in comments { packet += field("\(key)=\(value)") }
        return packet
    }

    private static func littleEndian(_ value: Int, bytes: Int) -> [UInt8] {
        (0..<bytes).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
