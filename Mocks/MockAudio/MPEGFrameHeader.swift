/// One MPEG audio Layer III frame header (ISO 11172-3 / 13818-3 2.4.1.3), as found in a file,
/// and the Xing/LAME "Info" tag an encoder may put in the first frame.
struct MPEGFrameHeader {
    /// Sample rates by index for MPEG-1, MPEG-2 (LSF) and the unofficial MPEG-2.5.
    private static let rates: [UInt8: [Int]] = [0b11: [44100, 48000, 32000], 0b10: [22050, 24000, 16000], 0b00: [11025, 12000, 8000]]

    let isMPEG1: Bool
    let sampleRate: Int
    let channels: Int
    /// Bytes from this header to the next one.
    let length: Int
    /// protection_bit 0: a 16-bit CRC follows the header, before the side info.
    let hasCRC: Bool
    /// 0 stereo, 1 joint stereo, 2 dual channel, 3 single channel.
    let mode: Int
    /// Joint stereo only: bit 1 mid/side, bit 0 intensity stereo (Layer III meaning).
    let modeExtension: Int

    var samplesPerFrame: Int { isMPEG1 ? 1152 : 576 }
    var granules: Int { isMPEG1 ? 2 : 1 }
    /// Bytes of side information after the header (and CRC).
    var sideInfoSize: Int { LayerIIIInfoTag.offset(isMPEG1: isMPEG1, channels: channels) - 4 }
    /// Where main data starts, counted from the header.
    var mainDataOffset: Int { 4 + (hasCRC ? 2 : 0) + sideInfoSize }

    /// The header at `offset`, if one is there: sync, a known version, Layer III, a real bitrate
    /// (not "free" or the forbidden index) and rate.
    init?(_ bytes: [UInt8], at offset: Int) {
        guard offset >= 0, offset + 4 <= bytes.count, bytes[offset] == 0xFF, bytes[offset + 1] & 0xE0 == 0xE0 else { return nil }
        let version = (bytes[offset + 1] >> 3) & 0x03
        let layer = (bytes[offset + 1] >> 1) & 0x03
        let bitrateIndex = Int(bytes[offset + 2] >> 4)
        let rateIndex = Int((bytes[offset + 2] >> 2) & 0x03)
        guard layer == 0b01, let rates = Self.rates[version], (1...14).contains(bitrateIndex), rateIndex < 3 else { return nil }
        isMPEG1 = version == 0b11
        sampleRate = rates[rateIndex]
        channels = bytes[offset + 3] >> 6 == 0b11 ? 1 : 2
        let kbps = (isMPEG1 ? MPEGAudioTables.mpeg1Bitrates : MPEGAudioTables.mpeg2Bitrates)[bitrateIndex]
        let padding = Int((bytes[offset + 2] >> 1) & 1)
        length = (isMPEG1 ? 144_000 : 72_000) * kbps / sampleRate + padding
        hasCRC = bytes[offset + 1] & 1 == 0
        mode = Int(bytes[offset + 3] >> 6)
        modeExtension = Int((bytes[offset + 3] >> 4) & 0x03)
    }

    /// Why there is no usable Layer III header at `offset` when there is a frame sync: nil when
    /// there is no sync at all (not MPEG audio) or the header is fine.
    static func rejection(_ bytes: [UInt8], at offset: Int) -> String? {
        guard offset >= 0, offset + 4 <= bytes.count, bytes[offset] == 0xFF, bytes[offset + 1] & 0xE0 == 0xE0 else { return nil }
        let version = (bytes[offset + 1] >> 3) & 0x03
        let layer = (bytes[offset + 1] >> 1) & 0x03
        let bitrateIndex = bytes[offset + 2] >> 4
        if version == 0b01 { return "reserved MPEG version" }
        if layer != 0b01 { return layer == 0 ? "reserved layer" : "MPEG audio Layer \(layer == 0b11 ? "I" : "II"), not Layer III" }
        if bitrateIndex == 0 { return "free-format bitrate is not supported" }
        if bitrateIndex == 15 { return "forbidden bitrate index" }
        if (bytes[offset + 2] >> 2) & 0x03 == 3 { return "reserved sampling frequency" }
        return nil
    }

    /// The LAME extension's gapless fields, when the Info tag has one that ffmpeg would honour
    /// (encoder string starting "LAME", "Lavf" or "Lavc"): nil otherwise, as a zero delay is a
    /// value and not the absence of one.
    func lameGapless(in bytes: [UInt8], at offset: Int) -> (delay: Int, padding: Int)? {
        guard infoTag(in: bytes, at: offset) != nil, let cursor = lameExtensionOffset(in: bytes, at: offset),
              cursor + 24 <= bytes.count else { return nil }
        let version = bytes[cursor..<cursor + 4]
        guard ["LAME", "Lavf", "Lavc"].contains(where: { version.elementsEqual($0.utf8) }) else { return nil }
        let packed = Int(bytes[cursor + 21]) << 16 | Int(bytes[cursor + 22]) << 8 | Int(bytes[cursor + 23])
        return (packed >> 12, packed & 0xFFF)
    }

    /// Where the LAME extension would start: after "Xing"/"Info", the flags and the optional fields
    /// the flags announce.
    private func lameExtensionOffset(in bytes: [UInt8], at offset: Int) -> Int? {
        let start = offset + LayerIIIInfoTag.offset(isMPEG1: isMPEG1, channels: channels)
        guard start + 8 <= bytes.count else { return nil }
        let flags = Int(bytes[start + 7])
        return start + 8 + (flags & 0x1 != 0 ? 4 : 0) + (flags & 0x2 != 0 ? 4 : 0) + (flags & 0x4 != 0 ? 100 : 0) + (flags & 0x8 != 0 ? 4 : 0)
    }

    /// What a Xing/Info tag in this frame (at `offset`) says: the number of audio frames that
    /// follow, and from its LAME extension the encoder delay and end padding in samples.
    func infoTag(in bytes: [UInt8], at offset: Int) -> (frames: Int?, delay: Int, padding: Int)? {
        var cursor = offset + LayerIIIInfoTag.offset(isMPEG1: isMPEG1, channels: channels)
        guard cursor + 8 <= bytes.count else { return nil }
        let id = bytes[cursor..<cursor + 4]
        guard id.elementsEqual("Xing".utf8) || id.elementsEqual("Info".utf8) else { return nil }
        func uint32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        let flags = uint32(cursor + 4)
        cursor += 8
        var frames: Int?
        if flags & 0x1 != 0, cursor + 4 <= bytes.count {
            frames = uint32(cursor)
            cursor += 4
        }
        if flags & 0x2 != 0 { cursor += 4 }  // byte count
        if flags & 0x4 != 0 { cursor += 100 }  // seek table
        if flags & 0x8 != 0 { cursor += 4 }  // quality
        // LAME extension: 9-byte encoder name, then delay and padding as two 12-bit numbers at +21.
        guard cursor + 24 <= bytes.count, bytes[cursor..<cursor + 4].allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            return (frames, 0, 0)
        }
        let packed = Int(bytes[cursor + 21]) << 16 | Int(bytes[cursor + 22]) << 8 | Int(bytes[cursor + 23])
        return (frames, packed >> 12, packed & 0xFFF)
    }
}
