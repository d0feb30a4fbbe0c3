import SynapseCore

/// Decodes FLAC (RFC 9639) to 16-bit PCM, so the mocks can analyse uploads the real services would
/// decode through libsndfile or ffmpeg.
///
/// Supported, i.e. everything libFLAC, ffmpeg, sox and our own `FLACEncoder` write:
/// - Containers: native FLAC (`fLaC`), optionally behind an ID3v2 tag, and Ogg FLAC (RFC 9639 §10.1:
///   a `0x7F "FLAC"` first packet, metadata packets, one frame per packet).
/// - Metadata: STREAMINFO (required, first); every other block (comments, seek table, pictures,
///   padding, application data) is skipped by its length.
/// - Frames: fixed and variable block sizes, every block-size and sample-rate code including the
///   8/16-bit values at the end of the header, frame/sample numbers up to 36 bits, a short last frame.
///   Header CRC-8 and frame CRC-16 are verified; frames must be numbered without gaps.
/// - Subframes: CONSTANT, VERBATIM, FIXED orders 0–4, LPC orders 1–32, wasted bits; residuals coded
///   with 4-bit (RICE) or 5-bit (RICE2) parameters, any partition order, escaped partitions.
/// - Channels: 1–8 independent, left/side, side/right and mid/side stereo.
/// - Bit depths 4–32, converted to 16 bits by shifting (deeper samples lose their low bits,
///   shallower ones are scaled up).
///
/// Not done: MD5 verification (the CRCs already catch damage), streams whose rate or channel count
/// changes mid-stream (a WAV file cannot hold them; they throw).
public enum FLACDecoder {
    /// Why a stream could not be decoded.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public let reason: String

        public init(_ reason: String) { self.reason = reason }

        public var description: String { "FLAC: \(reason)" }

        static let truncated = Failure("the stream ends in the middle of a frame (truncated)")
    }

    /// Native FLAC (`fLaC` …) or Ogg FLAC (`OggS` with the 0x7F "FLAC" mapping) → 16-bit PCM.
    public static func decode(_ bytes: [UInt8]) throws(Failure) -> WAVFile {
        let start = ID3v2.end(of: bytes)  // some taggers put ID3v2 before FLAC
        if hasPrefix(bytes, at: start, "fLaC") { return try decodeNative(bytes, from: start) }
        if hasPrefix(bytes, at: start, "OggS") { return try decodeOgg(start == 0 ? bytes : Array(bytes[start...])) }
        throw Failure("not a FLAC stream: neither a \"fLaC\" nor an \"OggS\" signature")
    }

    // MARK: Native FLAC

    private static func decodeNative(_ bytes: [UInt8], from start: Int) throws(Failure) -> WAVFile {
        var offset = start + 4
        var streamInfo: FLACStreamInfo?
        var isLast = false
        while !isLast {
            guard offset + 4 <= bytes.count else { throw Failure("the metadata ends before the first frame (truncated)") }
            let type = bytes[offset] & 0x7F
            isLast = bytes[offset] & 0x80 != 0
            let length = Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let body = offset + 4
            guard body + length <= bytes.count else { throw Failure("metadata block of type \(type) runs past the end of the file (truncated)") }
            if streamInfo == nil {
                guard type == 0 else { throw Failure("the first metadata block is type \(type), not STREAMINFO") }
                streamInfo = try FLACStreamInfo(bytes[body..<body + length])
            } else if type == 127 {
                throw Failure("invalid metadata block type 127")
            }
            offset = body + length
        }
        guard let streamInfo else { throw Failure("no STREAMINFO block") }

        var decoder = FLACFrameDecoder(streamInfo: streamInfo, inputSize: bytes.count)
        try bytes.withUnsafeBufferPointer { (buffer) throws(Failure) in
            while offset < buffer.count {
                if buffer[offset] != 0xFF || offset + 1 >= buffer.count || buffer[offset + 1] & 0xFE != 0xF8 {
                    // Tags appended after the audio (ID3v1, APE) or zero padding are not frames.
                    if isTrailingTag(bytes, at: offset) { break }
                    throw Failure("no frame sync code at byte \(offset) after \(decoder.frameCount) frames: the stream is damaged")
                }
                offset = try decoder.decodeFrame(buffer, at: offset)
            }
        }
        return try finish(decoder)
    }

    private static func isTrailingTag(_ bytes: [UInt8], at offset: Int) -> Bool {
        hasPrefix(bytes, at: offset, "TAG") || hasPrefix(bytes, at: offset, "APETAGEX") || hasPrefix(bytes, at: offset, "ID3")
            || bytes[offset...].allSatisfy { $0 == 0 }
    }

    // MARK: Ogg FLAC

    private static func decodeOgg(_ bytes: [UInt8]) throws(Failure) -> WAVFile {
        let stream = OggPacketReader(bytes, limit: .max, verifyingChecksums: true)
        guard let first = stream.packets.first else { throw Failure("Ogg stream without packets") }
        let mapping: [UInt8] = [0x7F] + Array("FLAC".utf8)
        guard first.starts(with: mapping) else { throw Failure("the Ogg stream does not carry FLAC") }
        // 0x7F "FLAC", major and minor version, header packet count, "fLaC", STREAMINFO block header.
        guard first.count >= 13 + 4 + 34 else { throw Failure("Ogg FLAC first packet is \(first.count) bytes, too short") }
        guard first[5] == 1 else { throw Failure("unsupported Ogg FLAC mapping version \(first[5]).\(first[6])") }
        guard first[9..<13].elementsEqual("fLaC".utf8), first[13] & 0x7F == 0 else {
            throw Failure("Ogg FLAC first packet lacks fLaC and STREAMINFO")
        }
        let streamInfo = try FLACStreamInfo(first[17...])

        var decoder = FLACFrameDecoder(streamInfo: streamInfo, inputSize: bytes.count)
        for packet in stream.packets.dropFirst() {
            // Metadata packets are metadata blocks; their first byte (type 0–126, maybe | 0x80) is never
            // 0xFF, the first byte of every frame.
            guard packet.first == 0xFF else { continue }
            try packet.withUnsafeBufferPointer { (buffer) throws(Failure) in
                _ = try decoder.decodeFrame(buffer, at: 0)
            }
        }
        guard stream.isComplete else {
            throw Failure("the Ogg stream is damaged or truncated after \(decoder.frameCount) frames (page at byte \(stream.consumedBytes))")
        }
        return try finish(decoder)
    }

    // MARK: Common

    private static func finish(_ decoder: FLACFrameDecoder) throws(Failure) -> WAVFile {
        let declared = decoder.streamInfo.totalSamples
        if declared > 0, decoder.sampleCount < declared {
            throw Failure("STREAMINFO declares \(declared) samples per channel but the frames hold \(decoder.sampleCount) (truncated)")
        }
        return WAVFile(samples: decoder.decodedSamples, channels: decoder.streamInfo.channels, sampleRate: decoder.streamInfo.sampleRate)
    }

    private static func hasPrefix(_ bytes: [UInt8], at offset: Int, _ prefix: String) -> Bool {
        let utf8 = prefix.utf8
        return offset + utf8.count <= bytes.count && bytes[offset..<offset + utf8.count].elementsEqual(utf8)
    }
}
