/// A whole WAV file decoded to 16-bit samples: the shared reader for mocks and the gateway.
///
/// Accepts PCM of 8, 16, 24 or 32 bits and IEEE float of 32 or 64 bits, any channel count
/// and sample rate; every format is converted to `Int16`.
public struct WAVFile: Equatable, Sendable {
    /// The header as parsed (format, data offset, INFO tags found before `data`).
    public var header: WAVHeader
    /// Interleaved samples, `frameCount × channels` of them.
    public var samples: [Int16]
    /// INFO tags from anywhere in the file (before and after `data`), in file order.
    public var infoTags: [WAVInfoTag]

    public var channels: Int { header.format.channels }
    public var sampleRate: Int { header.format.sampleRate }
    public var frameCount: Int { samples.count / channels }
    /// Duration in seconds.
    public var duration: Double { Double(frameCount) / Double(sampleRate) }

    /// The first INFO tag with this id.
    public func infoValue(_ id: String) -> String? { infoTags.first { $0.id == id }?.value }

    /// Decodes a complete file.
    ///
    /// A data chunk that declares more bytes than the file holds (a cut or streamed file) is
    /// read as far as it goes.
    public init(bytes: [UInt8]) throws(WAVError) {
        let header = try WAVHeader.parse(bytes)
        let format = header.format
        guard format.isDecodable else {
            throw .unsupportedFormat(formatTag: format.formatTag, bitsPerSample: format.bitsPerSample)
        }
        let size = header.dataSize(inFileOfSize: bytes.count)
        self.header = header
        self.samples = Self.decode(bytes[header.dataOffset..<header.dataOffset + size], format: format)
        self.infoTags = header.infoTags + Self.trailingInfoTags(bytes, header: header)
    }

    /// A file built from samples, e.g. for writing with `encoded()`.
    public init(samples: [Int16], channels: Int = 1, sampleRate: Int, infoTags: [WAVInfoTag] = []) {
        precondition(channels > 0 && samples.count % channels == 0, "samples must hold whole frames")
        let format = WAVFormat.pcm16(channels: channels, sampleRate: sampleRate)
        self.header = WAVHeader(format: format, dataOffset: 44, declaredDataSize: UInt32(samples.count * 2), infoTags: infoTags)
        self.samples = samples
        self.infoTags = infoTags
    }

    /// One channel: the average of all channels per frame.
    public var monoSamples: [Int16] {
        guard channels > 1 else { return samples }
        var mono = [Int16](repeating: 0, count: frameCount)
        for frame in 0..<frameCount {
            var sum = 0
            for channel in 0..<channels { sum += Int(samples[frame * channels + channel]) }
            mono[frame] = Int16(sum / channels)
        }
        return mono
    }

    /// The mono mixdown as floats in -1...1.
    public var monoFloatSamples: [Float] { monoSamples.map { Float($0) / 32768 } }

    // MARK: Decoding

    private static func decode(_ data: ArraySlice<UInt8>, format: WAVFormat) -> [Int16] {
        let width = format.bitsPerSample / 8
        let count = data.count / width
        var out = [Int16](repeating: 0, count: count)
        let base = data.startIndex
        for index in 0..<count {
            let at = base + index * width
            switch (format.encoding, width) {
            case (.pcm, 1):
                out[index] = Int16((Int(data[at]) - 128) << 8)
            case (.pcm, _):
                // Keep the two most significant bytes of a little-endian sample of any width.
                out[index] = Int16(bitPattern: UInt16(data[at + width - 2]) | UInt16(data[at + width - 1]) << 8)
            case (.float, 4):
                var bits: UInt32 = 0
                for byte in 0..<4 { bits |= UInt32(data[at + byte]) << UInt32(8 * byte) }
                out[index] = clampedPCM16(Double(Float(bitPattern: bits)))
            case (.float, _):
                var bits: UInt64 = 0
                for byte in 0..<8 { bits |= UInt64(data[at + byte]) << UInt64(8 * byte) }
                out[index] = clampedPCM16(Double(bitPattern: bits))
            default:
                break
            }
        }
        return out
    }

    /// Converts a float sample (-1...1) to `Int16`, clipping.
    public static func clampedPCM16(_ value: Double) -> Int16 {
        guard value.isFinite else { return 0 }
        return Int16(max(-32768, min(32767, (value * 32767).rounded())))
    }

    /// INFO tags in chunks after the data chunk (soundfile and many editors write them there).
    private static func trailingInfoTags(_ bytes: [UInt8], header: WAVHeader) -> [WAVInfoTag] {
        // Only walk on when the data chunk was complete; a streamed file has nothing after it.
        guard Int(header.declaredDataSize) + header.dataOffset <= bytes.count else { return [] }
        let declared = Int(header.declaredDataSize)
        var offset = header.dataOffset + declared + (declared & 1)
        var tags: [WAVInfoTag] = []
        while offset + 8 <= bytes.count {
            let size = Int(bytes.littleEndianUInt32(at: offset + 4))
            let start = offset + 8
            guard start + size <= bytes.count else { break }
            if bytes.fourCC(at: offset) == "LIST" { tags += WAVInfoTag.parse(listBody: Array(bytes[start..<start + size])) }
            offset = start + size + (size & 1)
        }
        return tags
    }
}
