/// A small Opus encoder (RFC 6716), CELT-only, written for the mock backends.
///
/// What the packets contain: one 20 ms CELT frame each (TOC byte 0xF8: CELT-only, fullband, 20 ms,
/// mono, code 0) of constant size, `bitrate / 400` bytes including the TOC. Every frame codes the
/// real signal: pre-emphasis, CELT's low-overlap MDCT (960 bins), 21 band energies (coarse
/// Laplace-coded intra energy, fine and final energy bits), and each band's normalised shape by
/// PVQ with the pulse counts of the standard bit allocation, computed as the decoder computes it.
/// Any conforming decoder (libopus, ffmpeg's native one) reproduces the waveform.
///
/// Limits, all deliberate simplifications of a mock: mono only; 48 kHz input (resample first);
/// 20 ms frames only; no transient detection (no short blocks), no pitch pre-filter, no TF
/// changes, no dynamic allocation boosts, the default allocation trim, intra energy in every
/// frame, constant bitrate; no SILK, so speech at low bitrates sounds worse than libopus would
/// make it. The decoder output lags the input by 120 samples of MDCT overlap; `encodePackets`
/// pads the start so the lag is exactly `preSkip` samples (312, libopus's value).
public struct OpusEncoder: Sendable {
    /// Samples at 48 kHz a decoder drops at the start (the `OpusHead` pre-skip).
    public static let preSkip = 312
    /// Samples per frame at 48 kHz.
    public static let frameSize = CELTMDCT.frameSize

    public let channels: Int
    public let bitrate: Int
    /// Bytes per packet, TOC included.
    public let packetSize: Int

    /// `bitrate` in bits per second, clamped to what one 20 ms CELT frame can carry
    /// (8…510 kbit/s: 20…1275 bytes).
    public init(channels: Int = 1, bitrate: Int = 64_000) {
        precondition(channels == 1, "only mono is implemented")
        self.channels = channels
        packetSize = max(20, min(1276, bitrate / 400))
        self.bitrate = packetSize * 400
    }

    /// Packets for `samples48k` (mono, 48 kHz, full scale ±1). The last frame is padded with
    /// silence; a container trims it with the granule position (`OggOpusWriter` does).
    public func encodePackets(samples48k: [Float]) -> [[UInt8]] {
        encodeFrames(samples48k: samples48k).map(\.packet)
    }

    /// Packets with the range coder's final state of each, the value a decoder reports as its
    /// "final range" (`OPUS_GET_FINAL_RANGE`) when it has read exactly what was written.
    func encodeFrames(samples48k: [Float]) -> [(packet: [UInt8], finalRange: UInt32)] {
        let lead = Self.preSkip - CELTMDCT.overlap
        let frames = (Self.preSkip + samples48k.count + Self.frameSize - 1) / Self.frameSize
        var input = [Float](repeating: 0, count: frames * Self.frameSize)
        // CELT works in 16-bit units; the leading pad turns the MDCT delay into the pre-skip.
        for (index, sample) in samples48k.enumerated() where lead + index < input.count { input[lead + index] = sample * 32768 }
        var state = FrameState()
        return (0..<frames).map { frame in
            let start = frame * Self.frameSize
            let coded = encodeFrame(Array(input[start..<start + Self.frameSize]), state: &state)
            return ([0xF8] + coded.bytes, coded.finalRange)
        }
    }

    /// What carries over between frames: the pre-emphasis memory and the MDCT overlap.
    struct FrameState {
        var emphasisMemory: Float = 0
        var overlap = [Float](repeating: 0, count: CELTMDCT.overlap)
    }

    /// First-order pre-emphasis; decoders undo it with the matching de-emphasis.
    static let emphasis: Float = 0.850_006_1

    func encodeFrame(_ pcm: [Float], state: inout FrameState) -> (bytes: [UInt8], finalRange: UInt32) {
        var block = state.overlap
        block.reserveCapacity(CELTMDCT.frameSize + CELTMDCT.overlap)
        for sample in pcm {
            block.append(sample - Self.emphasis * state.emphasisMemory)
            state.emphasisMemory = sample
        }
        state.overlap = Array(block.suffix(CELTMDCT.overlap))
        let spectrum = CELTMDCT.forward(block)
        return Self.codeFrame(spectrum: spectrum, bytes: packetSize - 1)
    }

    /// The CELT frame for one spectrum, `bytes` long, symbols in the order of RFC 6716 Table 56.
    static func codeFrame(spectrum: [Float], bytes: Int) -> (bytes: [UInt8], finalRange: UInt32) {
        let shift = 3  // LM: 20 ms
        let spread = 2  // normal
        let totalBits = bytes * 8
        var coder = OpusRangeEncoder(capacity: bytes)
        coder.encodeBit(false, logp: 15)  // not silence
        if coder.tell + 16 <= totalBits { coder.encodeBit(false, logp: 1) }  // no post-filter
        if coder.tell + 3 <= totalBits { coder.encodeBit(false, logp: 3) }  // not transient
        // Frames are at least 19 bytes, so the intra flag always fits (the decoder would assume inter otherwise).
        coder.encodeBit(true, logp: 3)

        let target = CELTEnergyCoder.logEnergies(of: spectrum, frameShift: shift)
        var energy = CELTEnergyCoder()
        energy.encodeCoarseIntra(target, budget: totalBits, coder: &coder)

        // tf_change 0 everywhere: one "no change" flag per band while the budget allows. With a
        // long block and no change, both tf_select tables agree, so no tf_select bit follows.
        var tfBudget = totalBits
        var logp = 4
        if coder.tell + logp + 1 <= tfBudget { tfBudget -= 1 }
        for _ in 0..<CELTTables.bandCount {
            if coder.tell + logp <= tfBudget { coder.encodeBit(false, logp: logp) }
            logp = 5
        }
        if coder.tell + 4 <= totalBits { coder.encodeICDF(spread, CELTTables.spreadICDF, bits: 5) }

        let caps = CELTAllocation.capsLM3Mono()
        let total8 = totalBits << 3
        for band in 0..<CELTTables.bandCount where coder.tellFrac + (6 << 3) < total8 && caps[band] > 0 {
            coder.encodeBit(false, logp: 6)  // no boost
        }
        if coder.tellFrac + (6 << 3) <= total8 { coder.encodeICDF(5, CELTTables.trimICDF, bits: 7) }  // default trim

        let available = total8 - coder.tellFrac - 1
        let allocation = CELTAllocation.compute(total: available, trim: 5, frameShift: shift, caps: caps, coder: &coder)
        energy.encodeFine(bits: allocation.fineBits, coder: &coder)

        var normalised = spectrum
        for band in 0..<CELTTables.bandCount {
            let start = CELTTables.bandEdges[band] << shift
            let end = CELTTables.bandEdges[band + 1] << shift
            var sum: Float = 1e-27
            for bin in start..<end { sum += spectrum[bin] * spectrum[bin] }
            let scale = 1 / sum.squareRoot()
            for bin in start..<end { normalised[bin] = spectrum[bin] * scale }
        }
        var bands = CELTBandCoder(frameShift: shift, spread: spread)
        bands.encode(spectrum: normalised, allocation: allocation, totalBits: total8, coder: &coder)
        energy.encodeFinal(
            bits: allocation.fineBits, priority: allocation.finePriority, bitsLeft: totalBits - coder.tell, coder: &coder)
        return (coder.finish(), coder.range)
    }
}
