/// The Xing "Info" header with the LAME extension that `MPEGAudioEncoder` writes into a silent first
/// frame, so decoders can trim the stream to the exact input (gapless playback).
///
/// Layout as LAME writes it for constant bitrate, starting right after the side info (where the Xing
/// header convention puts it, so its position depends on MPEG version and channel mode): "Info",
/// flags 0x0F (frames, bytes, TOC, quality all present), then the 36-byte LAME extension. All four
/// optional Xing fields are written although only the first two matter here: with all four the LAME
/// extension sits at offset 120, where LAME puts it and readers that do not walk the flags look.
struct LayerIIIInfoTag {
    /// Bytes from "Info" to the end of the LAME extension's CRC.
    static let size = 156
    /// Offset of the LAME extension from "Info".
    static let extensionOffset = 120

    /// Audio frames after the Info frame: decoders do not count the Info frame itself.
    var frameCount: Int
    /// The whole stream, Info frame included.
    var byteCount: Int
    /// Samples to drop at the start, not counting the 529 that decoders add for their own synthesis
    /// delay (ffmpeg skips `delay + 528 + 1`, as LAME defines the field).
    var delay: Int
    /// Samples to drop at the end, such that delay + input + padding = frameCount · samples per frame.
    var padding: Int
    /// kbit/s, for the extension's bitrate byte.
    var bitrate: Int
    var sampleRate: Int
    var channels: Int
    /// CRC-16 of the audio frames (everything after the Info frame).
    var musicCRC: UInt16

    /// Where "Info" starts in a frame: after the 4-byte header and the side info.
    static func offset(isMPEG1: Bool, channels: Int) -> Int {
        switch (isMPEG1, channels) {
        case (true, 1): 4 + 17
        case (true, _): 4 + 32
        case (false, 1): 4 + 9
        case (false, _): 4 + 17
        }
    }

    /// Writes the tag into `frame`, a frame of zeros apart from its header, and seals it with the
    /// LAME tag CRC over every byte of the frame before the CRC field.
    func write(into frame: inout [UInt8], isMPEG1: Bool) {
        let start = Self.offset(isMPEG1: isMPEG1, channels: channels)
        precondition(frame.count >= start + Self.size, "the Info tag does not fit this frame")
        precondition(delay < 4096 && padding < 4096, "delay and padding have 12 bits each")
        var position = start
        func put(_ value: Int, bytes: Int) {
            for index in 0..<bytes { frame[position + index] = UInt8(truncatingIfNeeded: value >> (8 * (bytes - 1 - index))) }
            position += bytes
        }
        func put(_ text: String) {
            for byte in text.utf8 { put(Int(byte), bytes: 1) }
        }

        put("Info")
        put(0x0F, bytes: 4)
        put(frameCount, bytes: 4)
        put(byteCount, bytes: 4)
        // A constant bitrate maps time to bytes linearly, so the seek table is a straight line.
        for percent in 0..<100 { put(percent * 256 / 100, bytes: 1) }
        put(0, bytes: 4)  // quality: no VBR quality to report

        precondition(position == start + Self.extensionOffset, "LAME extension offset")
        // ffmpeg honours the delay fields only after a version string starting "LAME", "Lavf" or
        // "Lavc"; the remaining five bytes say who really wrote it.
        put("LAMESynap")
        put(0x01, bytes: 1)  // tag revision 0, VBR method 1: constant bitrate
        put(0, bytes: 1)  // lowpass: none
        put(0, bytes: 8)  // ReplayGain peak, radio and audiophile gain: not measured
        put(0, bytes: 1)  // encoding flags, ATH type
        put(min(bitrate, 255), bytes: 1)
        put(delay << 12 | padding, bytes: 3)
        let sourceRate = switch sampleRate {
        case 44_100: 1
        case 48_000: 2
        default: 0  // 32 kHz and below
        }
        put(sourceRate << 6 | (channels == 1 ? 0 : 1) << 2, bytes: 1)  // misc: source rate, stereo mode
        put(0, bytes: 1)  // MP3 gain
        put(0, bytes: 2)  // preset, surround
        put(byteCount, bytes: 4)  // music length: from the Info frame's start to the last audio byte
        put(Int(musicCRC), bytes: 2)
        put(Int(Self.crc16(frame[0..<position])), bytes: 2)
        precondition(position == start + Self.size, "Info tag size")
    }

    /// CRC-16/ARC (polynomial 0x8005 reflected, init 0), the CRC of both LAME tag checksums. Not
    /// `AudioChecksum.crc16`: FLAC's is the same polynomial unreflected.
    static func crc16(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes { crc = (crc >> 8) ^ crc16Table[Int(UInt8(truncatingIfNeeded: crc) ^ byte)] }
        return crc
    }

    private static let crc16Table: [UInt16] = (0..<256).map { index in
        var value = UInt16(index)
        for _ in 0..<8 { value = value & 1 != 0 ? (value >> 1) ^ 0xA001 : value >> 1 }
        return value
    }
}
