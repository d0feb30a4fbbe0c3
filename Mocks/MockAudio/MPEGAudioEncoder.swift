/// Encodes 16-bit PCM as an MPEG audio stream for `.mp3` requests: **MPEG-1/2 Audio Layer III**.
///
/// A genuine MP3 (`ffprobe` names the codec `mp3`) at the requested constant bitrate, kept simple
/// because this is a mock, not LAME:
/// - Hybrid filterbank as the standard describes it: the 32-band polyphase analysis with the
///   standard's window C[i], an 18-line MDCT per subband with the sine window, alias-reduction
///   butterflies. Long blocks only (block type 0): no window switching, so sharp attacks get some
///   pre-echo.
/// - No psychoacoustic model and no bit reservoir (`main_data_begin` 0): each frame carries its own
///   granules and zero-pads what they leave unused, so every frame decodes on its own.
/// - All scale factors 0: without a model there is nothing to shape the noise by, and a flat step
///   minimises the total noise. Per granule and channel, `global_gain` is bisected to the finest
///   step whose Huffman code fits that granule's share of the frame.
/// - The standard's full set of Huffman tables, so values are coded at whatever resolution the bits
///   allow (the escape tables reach any 16-bit level). The cheaper scheme, all lines in the count1
///   region as 0/±1 times a scale factor, would leave each scale factor band three levels; with the
///   tables a 440 Hz + 3 kHz mix comes back through ffmpeg at 49–64 dB SNR. The big-values region
///   is split into its three regions on scale factor band edges by exhaustive search, each region
///   taking its cheapest table; count1 takes the shorter of quadruple tables A and B.
///
/// Stereo is plain independent L/R. Sample rates: 32, 44.1, 48 kHz (MPEG-1, two granules of 576
/// samples per frame) and 16, 22.05, 24 kHz (MPEG-2 LSF, one granule per frame); 1 or 2 channels.
/// Gapless, as LAME makes it: decoders return Layer III audio late, here by 1,057 samples (576 of MDCT
/// overlap, 481 of polyphase analysis and synthesis), so the stream runs on until the last input
/// sample has come out, and a first, silent frame carries a Xing "Info" header with the LAME
/// extension (`LayerIIIInfoTag`): frame and byte counts, and the delay and end padding to trim.
/// ffmpeg (and what builds on it) then returns exactly the input, aligned to sample 0; decoders that
/// ignore the tag (libmad, so sox) skip the Info frame but return all frames' samples, the input
/// 1,057 late and up to a frame and 1,057 samples of silence longer.
public struct MPEGAudioEncoder: Sendable {
    /// Why the stream cannot be produced with these parameters.
    public enum ConfigurationError: Error, Equatable, Sendable {
        case unsupportedSampleRate(Int)
        case unsupportedChannelCount(Int)
    }

    /// Sample rates MPEG audio can carry, in Hz.
    public static let supportedSampleRates = [16000, 22050, 24000, 32000, 44100, 48000]

    public let channels: Int
    public let sampleRate: Int
    /// The bitrate actually used, kbit/s: the legal bitrate nearest to the requested one.
    public let bitrate: Int
    private let bitrateIndex: Int
    private let isMPEG1: Bool

    /// - Parameter bitrate: requested kbit/s (default 128); snapped to the nearest legal value.
    public init(channels: Int, sampleRate: Int, bitrate requested: Int = 128) throws(ConfigurationError) {
        guard channels == 1 || channels == 2 else { throw .unsupportedChannelCount(channels) }
        let isMPEG1 = MPEGAudioTables.mpeg1RateIndex[sampleRate] != nil
        guard isMPEG1 || MPEGAudioTables.mpeg2RateIndex[sampleRate] != nil else { throw .unsupportedSampleRate(sampleRate) }
        let table = isMPEG1 ? MPEGAudioTables.mpeg1Bitrates : MPEGAudioTables.mpeg2Bitrates
        // Clamped first: `table[i] - requested` would overflow for a request near Int.min or Int.max.
        let requested = min(max(requested, 0), 1_000)
        let index = table.indices.dropFirst().min { abs(table[$0] - requested) < abs(table[$1] - requested) } ?? 1
        self.channels = channels
        self.sampleRate = sampleRate
        self.bitrate = table[index]
        self.bitrateIndex = index
        self.isMPEG1 = isMPEG1
    }

    private var granulesPerFrame: Int { isMPEG1 ? 2 : 1 }

    /// Bits of side information per frame (11172-3 2.4.1.7, 13818-3 2.4.1.7).
    private var sideInfoBits: Int {
        switch (isMPEG1, channels) {
        case (true, 1): 17 * 8
        case (true, _): 32 * 8
        case (false, 1): 9 * 8
        case (false, _): 17 * 8
        }
    }

    /// Where decoders put input sample 0 in their output: 576 samples of MDCT overlap plus 481 of
    /// polyphase analysis and synthesis (512 taps each, advancing 32 at a time).
    static let decoderDelay = 1057
    /// The part of `decoderDelay` that decoders attribute to their own synthesis and add to the Info
    /// tag's delay field themselves (528 + 1, as LAME defines the field and ffmpeg applies it).
    static let decoderSynthesisDelay = 529

    /// A complete stream for interleaved `samples`: an Info frame carrying the delay and padding that
    /// let decoders trim their output to exactly `samples`, then audio frames until the last input
    /// sample has come out of the decoder's filterbank, the input zero-padded to fill them.
    public func encodeFile(samples: [Int16]) -> [UInt8] {
        let frames = samples.count / channels
        let samplesPerFrame = 576 * granulesPerFrame
        let frameCount = (frames + Self.decoderDelay + samplesPerFrame - 1) / samplesPerFrame
        var filters = Array(repeating: PolyphaseAnalysis(), count: channels)
        var transforms = Array(repeating: LayerIIIMDCT(), count: channels)
        let coder = LayerIIIGranuleCoder(sampleRate: sampleRate)
        // Frames are 144 (MPEG-1) or 72 (LSF) · bitrate / rate bytes; the fraction is spread with
        // padding slots.
        let slotNumerator = (isMPEG1 ? 144_000 : 72_000) * bitrate
        var slotRemainder = 0
        func nextFrameSize() -> (bytes: Int, padding: Bool) {
            slotRemainder += slotNumerator % sampleRate
            let padding = slotRemainder >= sampleRate
            if padding { slotRemainder -= sampleRate }
            return (slotNumerator / sampleRate + (padding ? 1 : 0), padding)
        }

        // The Info frame takes the stream's bitrate and its place in the padding sequence when the
        // tag fits; at the lowest bitrates (under 40–64 kbit/s, by rate and channels) it takes the
        // lowest bitrate whose frame holds it, as LAME does for VBR: a frame's bitrate is its own,
        // and decoders skip or mute this one.
        let tagEnd = LayerIIIInfoTag.offset(isMPEG1: isMPEG1, channels: channels) + LayerIIIInfoTag.size
        var infoFrame: [UInt8]
        if slotNumerator / sampleRate >= tagEnd {
            let (bytes, padding) = nextFrameSize()
            infoFrame = silentFrame(bytes: bytes, bitrateIndex: bitrateIndex, padding: padding)
        } else {
            let table = isMPEG1 ? MPEGAudioTables.mpeg1Bitrates : MPEGAudioTables.mpeg2Bitrates
            let perKbit = isMPEG1 ? 144_000 : 72_000
            let index = table.indices.dropFirst().first { table[$0] * perKbit / sampleRate >= tagEnd } ?? table.count - 1
            infoFrame = silentFrame(bytes: table[index] * perKbit / sampleRate, bitrateIndex: index, padding: false)
        }

        var audio: [UInt8] = []
        var block = [Double](repeating: 0, count: 32)
        for frameIndex in 0..<frameCount {
            var spectra: [[[Double]]] = []  // [granule][channel][576 lines]
            for granule in 0..<granulesPerFrame {
                var perChannel: [[Double]] = []
                for channel in 0..<channels {
                    var slots: [[Double]] = []
                    for slot in 0..<18 {
                        for offset in 0..<32 {
                            let frame = frameIndex * samplesPerFrame + granule * 576 + slot * 32 + offset
                            block[offset] = frame < frames ? Double(samples[frame * channels + channel]) / 32768 : 0
                        }
                        slots.append(filters[channel].analyse(block[...]))
                    }
                    perChannel.append(transforms[channel].transform(slots))
                }
                spectra.append(perChannel)
            }
            let (bytes, padding) = nextFrameSize()
            audio += encodeFrame(spectra, coder: coder, frameBytes: bytes, padding: padding)
        }

        let delay = Self.decoderDelay - Self.decoderSynthesisDelay
        let tag = LayerIIIInfoTag(
            frameCount: frameCount, byteCount: infoFrame.count + audio.count,
            delay: delay, padding: frameCount * samplesPerFrame - delay - frames,
            bitrate: bitrate, sampleRate: sampleRate, channels: channels,
            musicCRC: LayerIIIInfoTag.crc16(audio))
        tag.write(into: &infoFrame, isMPEG1: isMPEG1)
        return infoFrame + audio
    }

    // MARK: Frame

    private func encodeFrame(_ spectra: [[[Double]]], coder: LayerIIIGranuleCoder, frameBytes: Int, padding: Bool) -> [UInt8] {
        // Granules are coded in bitstream order; each gets an even share of what the earlier ones
        // left, so bits a quiet granule does not need go to the next one in the same frame.
        var available = frameBytes * 8 - 32 - sideInfoBits
        var coded: [[LayerIIIGranuleCoder.Granule]] = []
        var remaining = granulesPerFrame * channels
        for granule in 0..<granulesPerFrame {
            var perChannel: [LayerIIIGranuleCoder.Granule] = []
            for channel in 0..<channels {
                let result = coder.code(spectra[granule][channel], budget: available / remaining)
                available -= result.length
                remaining -= 1
                perChannel.append(result)
            }
            coded.append(perChannel)
        }

        var writer = BitWriter()
        writeHeader(to: &writer, bitrateIndex: bitrateIndex, padding: padding)

        // Side info. main_data_begin 0: this frame's main data starts right after it.
        if isMPEG1 {
            writer.write(0, bits: 9)
            writer.write(0, bits: channels == 1 ? 5 : 3)  // private bits
            writer.write(0, bits: 4 * channels)  // scfsi: no scale factors shared between granules
        } else {
            writer.write(0, bits: 8)
            writer.write(0, bits: channels)  // private bits
        }
        for granule in coded {
            for channel in granule {
                writer.write(UInt64(channel.length), bits: 12)  // part2_3_length (part2 is empty)
                writer.write(UInt64(channel.bigValues), bits: 9)
                writer.write(UInt64(channel.globalGain), bits: 8)
                writer.write(0, bits: isMPEG1 ? 4 : 9)  // scalefac_compress 0: no scale factor bits
                writer.write(0, bits: 1)  // window_switching_flag: long blocks only
                for select in channel.tableSelect { writer.write(UInt64(select), bits: 5) }
                writer.write(UInt64(channel.region0Count), bits: 4)
                writer.write(UInt64(channel.region1Count), bits: 3)
                if isMPEG1 { writer.write(0, bits: 1) }  // preflag (LSF derives it from scalefac_compress)
                writer.write(0, bits: 1)  // scalefac_scale
                writer.write(UInt64(channel.count1Table), bits: 1)
            }
        }
        precondition(writer.bitCount == 32 + sideInfoBits, "side info size")

        for granule in coded {
            for channel in granule { coder.write(channel, to: &writer) }
        }
        precondition(writer.bitCount <= frameBytes * 8, "main data overflows the frame")
        writer.alignToByte()
        var bytes = writer.bytes
        bytes += [UInt8](repeating: 0, count: frameBytes - bytes.count)  // unused main data
        return bytes
    }

    /// A frame of `bytes` bytes with nothing but its header: zero side info codes no spectrum.
    private func silentFrame(bytes: Int, bitrateIndex: Int, padding: Bool) -> [UInt8] {
        var writer = BitWriter()
        writeHeader(to: &writer, bitrateIndex: bitrateIndex, padding: padding)
        return writer.bytes + [UInt8](repeating: 0, count: bytes - writer.bytes.count)
    }

    private func writeHeader(to writer: inout BitWriter, bitrateIndex: Int, padding: Bool) {
        writer.write(0x7FF, bits: 11)  // frame sync
        writer.write(isMPEG1 ? 0b11 : 0b10, bits: 2)  // MPEG-1 or MPEG-2
        writer.write(0b01, bits: 2)  // Layer III
        writer.write(1, bits: 1)  // no CRC
        writer.write(UInt64(bitrateIndex), bits: 4)
        let rateIndex = (isMPEG1 ? MPEGAudioTables.mpeg1RateIndex : MPEGAudioTables.mpeg2RateIndex)[sampleRate] ?? 0
        writer.write(UInt64(rateIndex), bits: 2)
        writer.write(padding ? 1 : 0, bits: 1)
        writer.write(0, bits: 1)  // private bit
        writer.write(channels == 1 ? 0b11 : 0b00, bits: 2)  // single channel or stereo
        writer.write(0, bits: 2)  // mode extension (joint stereo only)
        writer.write(0, bits: 4)  // not copyrighted, copy, no emphasis
    }
}
