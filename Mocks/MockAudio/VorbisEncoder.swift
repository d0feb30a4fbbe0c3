/// Encodes 16-bit PCM as Ogg Vorbis I (`.ogg`, `audio/ogg`), the format ffmpeg's libvorbis gives
/// the real service, so every Vorbis decoder (ffmpeg, libvorbis/sox, browsers) plays the output.
///
/// The stream is deliberately simple rather than efficient:
/// ```
/// page 0 (BOS): identification header (channels, rate, average bitrate, block sizes 256/2048)
/// page 1:       comment header (vendor "Synapse mock Vorbis encoder", no comments)
///               setup header (5 codebooks, one floor type 1, one residue type 1, one mapping, one mode)
/// pages 2…:     one packet per 2048-sample block, 1024 new samples each; last page carries EOS
/// ```
/// - Every block is long (2048 samples, hop 1024); there is no block switching, so the noise
///   around a sharp transient can spread over up to one block before it (43 ms at 48 kHz).
/// - Channels are coded independently (no coupling). Input is taken in WAV order (FL FR FC LFE BL
///   BR SL SR…) and stored in Vorbis's fixed speaker order for 3–8 channels (spec §4.3.9), as
///   ffmpeg's libvorbis wrapper does, so ffmpeg decodes the channels back in the input's order.
/// - Quantisation is relative to a fitted spectral envelope (floor type 1): each spectral line is
///   coded in steps of about 1/40 of the loudest line near it, and lines more than 60 dB below the
///   block's loudest are dropped. That gives about 34–39 dB SNR on tones and on white noise alike.
///   There is no psychoacoustic model, so dense material is expensive: white noise costs about
///   6.8 bits per sample per channel (≈ 325 kbit/s for 48 kHz mono), a tone mix 10–30 kbit/s.
/// - Timing is exact: the decoded output starts at input sample 0 and the last page's granule
///   position trims it to the input length.
public struct VorbisEncoder: Sendable {
    /// Interleaved channels (1–8).
    public let channels: Int
    /// Samples per second (1–655350 Hz; any rate decodes, the transform does not depend on it).
    public let sampleRate: Int
    /// Ogg bitstream serial number. Fixed by default so the output is deterministic.
    public let serialNumber: UInt32

    /// For each Vorbis channel, the input (WAV-order) channel it carries, by channel count.
    static let vorbisChannelOrder: [[Int]] = [
        [0], [0, 1], [0, 2, 1], [0, 1, 2, 3], [0, 2, 1, 3, 4], [0, 2, 1, 4, 5, 3], [0, 2, 1, 5, 6, 4, 3], [0, 2, 1, 6, 7, 4, 5, 3],
    ]

    /// Each line is coded in steps of its floor, which sits at 1/`resolution` of the local peak.
    static let resolution = 40.0
    /// Lines this far (linear ratio) below the block's loudest line are left out.
    static let dynamicRange = 1000.0
    /// No floor below this amplitude: far under the 16-bit input's own rounding noise.
    static let quietest = 1e-6

    public init(channels: Int, sampleRate: Int, serialNumber: UInt32 = 0x5359_4E41) {
        precondition((1...8).contains(channels), "this Vorbis encoder carries 1 to 8 channels")
        precondition((1...655_350).contains(sampleRate), "sample rate out of range")
        self.channels = channels
        self.sampleRate = sampleRate
        self.serialNumber = serialNumber
    }

    /// A complete `.ogg` file for interleaved `samples`.
    public func encodeFile(samples: [Int16]) -> [UInt8] {
        let setup = VorbisSetupHeader()
        let frames = samples.count / channels
        let packets = audioPackets(samples: samples, frames: frames, setup: setup)
        let audioBytes = packets.reduce(0) { $0 + $1.count }
        let bitrate = frames == 0 ? 0 : min(Int(Int32.max), audioBytes * 8 * sampleRate / frames)

        var writer = OggStreamWriter(serialNumber: serialNumber, targetPageSize: Int.max)
        writer.addPacket(identificationHeader(bitrate: bitrate), granulePosition: 0, flush: true)
        writer.addPacket(commentHeader(), granulePosition: 0)
        writer.addPacket(setup.packet(), granulePosition: 0, flush: true)
        // Pages are closed here rather than by the writer's size limit so that the last packet
        // always ends on the end-of-stream page, whose granule position trims the output. That
        // packet also gets a page of its own: ffmpeg ignores the trim on a stream's first audio page.
        let hop = VorbisSetupHeader.blockSize / 2
        var pageBytes = 0
        var pageSegments = 0
        for (index, packet) in packets.enumerated() {
            let isLast = index == packets.count - 1
            // A decoder emits nothing for the first block and `hop` samples for each later one.
            let granule = isLast ? frames : index * hop
            pageBytes += packet.count
            pageSegments += packet.count / 255 + 1
            var flush = false
            if !isLast {
                flush = index == packets.count - 2 || pageBytes >= 4096 || pageSegments + packets[index + 1].count / 255 + 1 > 255
            }
            writer.addPacket(packet, granulePosition: Int64(granule), flush: flush)
            if flush {
                pageBytes = 0
                pageSegments = 0
            }
        }
        return writer.finish()
    }

    /// One packet per block. Block `b` spans input samples `(b−1)·1024 ..< (b+1)·1024` (zeros
    /// outside the input), so block 0 is centred on sample 0 and decoding starts exactly there;
    /// the final block reaches past the last sample.
    func audioPackets(samples: [Int16], frames: Int, setup: VorbisSetupHeader) -> [[UInt8]] {
        let size = VorbisSetupHeader.blockSize
        let hop = size / 2
        let mdct = VorbisMDCT(size: size)
        let blockCount = (frames + hop - 1) / hop + 1
        var packets: [[UInt8]] = []
        packets.reserveCapacity(blockCount)
        var block = [Double](repeating: 0, count: size)
        for index in 0..<blockCount {
            let start = (index - 1) * hop
            var floors: [VorbisFloor.Fit?] = []
            var residues: [[Int]] = []
            for channel in Self.vorbisChannelOrder[channels - 1] {
                for offset in 0..<size {
                    let frame = start + offset
                    block[offset] = frame >= 0 && frame < frames ? Double(samples[frame * channels + channel]) / 32768 : 0
                }
                let coefficients = mdct.forward(block)
                let peak = coefficients.reduce(0) { max($0, abs($1)) }
                let fit = setup.floor.fit(coefficients, resolution: Self.resolution, minimum: max(peak / Self.dynamicRange, Self.quietest))
                let residue = coefficients.indices.map { VorbisResidue.clamp(Int((coefficients[$0] / fit.curve[$0]).rounded())) }
                // A channel with nothing to code sends only its "floor unused" flag and decodes as silence.
                let silent = residue.allSatisfy { $0 == 0 }
                floors.append(silent ? nil : fit)
                residues.append(residue)
            }
            packets.append(setup.audioPacket(floors: floors, residues: residues))
        }
        return packets
    }

    /// The identification header: version 0, channels, rate, bitrates (nominal = measured average),
    /// block sizes, framing bit.
    func identificationHeader(bitrate: Int) -> [UInt8] {
        var writer = VorbisBitWriter()
        writer.write(1, bits: 8)
        writer.write(bytes: Array("vorbis".utf8))
        writer.write(0, bits: 32)
        writer.write(channels, bits: 8)
        writer.write(sampleRate, bits: 32)
        writer.write(0, bits: 32)  // maximum bitrate: unset
        writer.write(bitrate, bits: 32)
        writer.write(0, bits: 32)  // minimum bitrate: unset
        writer.write(VorbisSetupHeader.shortBlockExponent, bits: 4)
        writer.write(VorbisSetupHeader.longBlockExponent, bits: 4)
        writer.write(1, bits: 1)
        return writer.bytes
    }

    /// The comment header: vendor string, no user comments, framing bit.
    func commentHeader() -> [UInt8] {
        let vendor = Array("Synapse mock Vorbis encoder".utf8)
        var writer = VorbisBitWriter()
        writer.write(3, bits: 8)
        writer.write(bytes: Array("vorbis".utf8))
        writer.write(vendor.count, bits: 32)
        writer.write(bytes: vendor)
        writer.write(0, bits: 32)
        writer.write(1, bits: 1)
        return writer.bytes
    }
}
