/// Encodes 16-bit PCM as a FLAC stream that decodes bit-exactly.
///
/// ```
/// "fLaC" | STREAMINFO (sizes, rate, channels, total samples, MD5 of the PCM) | VORBIS_COMMENT
///        | frame 0 | frame 1 | …      each frame: header + CRC-8, one subframe per channel, CRC-16
/// ```
/// Every block has a fixed size (4096 by default; the last may be shorter). Each channel's subframe is
/// whichever is smallest of CONSTANT, VERBATIM and FIXED orders 0–4 with one Rice partition, so the
/// encoder is simple but still compresses tones and silence well. Channels are coded independently.
public struct FLACEncoder: Sendable {
    /// Number of interleaved channels (1–8).
    public let channels: Int
    /// Samples per second (1–655350 Hz, the range a FLAC frame header can describe via STREAMINFO).
    public let sampleRate: Int
    /// Samples per channel in each frame. Default 4096.
    public let blockSize: Int

    public init(channels: Int, sampleRate: Int, blockSize: Int = 4096) {
        precondition((1...8).contains(channels), "FLAC carries 1 to 8 channels")
        precondition(blockSize >= 16 && blockSize <= 65535, "FLAC block size must be 16...65535")
        self.channels = channels
        self.sampleRate = sampleRate
        self.blockSize = blockSize
    }

    /// A complete `.flac` file for interleaved `samples`.
    public func encodeFile(samples: [Int16]) -> [UInt8] {
        var file: [UInt8] = Array("fLaC".utf8)
        let blocks = metadataBlocks(samples: samples)
        for (index, block) in blocks.enumerated() {
            file.append(contentsOf: metadataHeader(type: block.type, length: block.body.count, isLast: index == blocks.count - 1))
            file.append(contentsOf: block.body)
        }
        for frame in encodeFrames(samples: samples) { file.append(contentsOf: frame) }
        return file
    }

    /// The metadata blocks (type, body without the 4-byte block header): STREAMINFO then VORBIS_COMMENT.
    public func metadataBlocks(samples: [Int16]) -> [(type: UInt8, body: [UInt8])] {
        [(0, streamInfo(samples: samples)), (4, vorbisComment())]
    }

    /// The 4-byte metadata block header: last-block flag, 7-bit type, 24-bit length.
    public func metadataHeader(type: UInt8, length: Int, isLast: Bool) -> [UInt8] {
        [(isLast ? 0x80 : 0) | type, UInt8(truncatingIfNeeded: length >> 16), UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)]
    }

    /// The encoded frames, one per block, in order.
    public func encodeFrames(samples: [Int16]) -> [[UInt8]] {
        let frameCount = samples.count / channels
        var frames: [[UInt8]] = []
        var start = 0
        var frameNumber: UInt64 = 0
        while start < frameCount {
            let length = min(blockSize, frameCount - start)
            var channelSamples: [[Int32]] = Array(repeating: [], count: channels)
            for channel in 0..<channels {
                channelSamples[channel].reserveCapacity(length)
                for offset in 0..<length { channelSamples[channel].append(Int32(samples[(start + offset) * channels + channel])) }
            }
            frames.append(encodeFrame(number: frameNumber, channels: channelSamples))
            start += length
            frameNumber += 1
        }
        return frames
    }

    // MARK: Metadata

    private func streamInfo(samples: [Int16]) -> [UInt8] {
        let totalFrames = UInt64(samples.count / channels)
        var writer = BitWriter()
        // Both sizes are the nominal block size (the shorter last block does not count); tiny files use 16.
        let declaredBlock = UInt64(totalFrames >= UInt64(blockSize) ? blockSize : max(16, Int(totalFrames)))
        writer.write(declaredBlock, bits: 16)  // minimum block size
        writer.write(declaredBlock, bits: 16)  // maximum block size
        writer.write(0, bits: 24)  // minimum frame size: unknown
        writer.write(0, bits: 24)  // maximum frame size: unknown
        writer.write(UInt64(sampleRate), bits: 20)
        writer.write(UInt64(channels - 1), bits: 3)
        writer.write(15, bits: 5)  // bits per sample - 1
        writer.write(totalFrames, bits: 36)
        // The signature covers the interleaved samples as signed little-endian 16-bit words.
        var md5 = MD5()
        var pcm: [UInt8] = []
        pcm.reserveCapacity(samples.count * 2)
        for sample in samples {
            let bits = UInt16(bitPattern: sample)
            pcm.append(UInt8(truncatingIfNeeded: bits))
            pcm.append(UInt8(truncatingIfNeeded: bits >> 8))
        }
        md5.update(pcm)
        writer.append(bytes: md5.finalize())
        return writer.bytes
    }

    private func vorbisComment() -> [UInt8] {
        let vendor = Array("synapse mock flac".utf8)
        var body: [UInt8] = littleEndian32(UInt32(vendor.count))
        body.append(contentsOf: vendor)
        body.append(contentsOf: littleEndian32(0))  // no user comments
        return body
    }

    private func littleEndian32(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> UInt32($0 * 8)) }
    }

    // MARK: Frames

    private func encodeFrame(number: UInt64, channels channelSamples: [[Int32]]) -> [UInt8] {
        let length = channelSamples[0].count
        var writer = BitWriter()
        writer.write(0b11_1111_1111_1110, bits: 14)  // sync code
        writer.write(0, bits: 1)  // reserved
        writer.write(0, bits: 1)  // fixed block size strategy: the header carries the frame number
        writer.write(0b0111, bits: 4)  // block size: 16-bit (size - 1) follows the header
        writer.write(0b0000, bits: 4)  // sample rate: take it from STREAMINFO
        writer.write(UInt64(channels - 1), bits: 4)  // independent channels
        writer.write(0b100, bits: 3)  // 16 bits per sample
        writer.write(0, bits: 1)  // reserved
        writer.append(bytes: Self.utf8Coded(number))
        writer.write(UInt64(length - 1), bits: 16)
        writer.append(bytes: [AudioChecksum.crc8(writer.bytes)])
        for samples in channelSamples { FLACSubframe.best(for: samples).write(to: &writer, samples: samples) }
        writer.alignToByte()
        let crc = AudioChecksum.crc16(writer.bytes)
        writer.write(UInt64(crc), bits: 16)
        return writer.bytes
    }

    /// FLAC's "UTF-8"-style variable-length integer (up to 36 bits) used for frame numbers.
    static func utf8Coded(_ value: UInt64) -> [UInt8] {
        if value < 0x80 { return [UInt8(value)] }
        // Number of continuation bytes needed: each carries 6 bits, the lead byte 7 - count - 1 bits.
        var continuation = 1
        while value >= (UInt64(1) << UInt64(6 * continuation + 6 - continuation)) { continuation += 1 }
        var bytes: [UInt8] = []
        var rest = value
        for _ in 0..<continuation {
            bytes.insert(0x80 | UInt8(rest & 0x3F), at: 0)
            rest >>= 6
        }
        let leadMarker = UInt8(truncatingIfNeeded: 0xFF00 >> (continuation + 1))
        bytes.insert(leadMarker | UInt8(rest), at: 0)
        return bytes
    }
}
