import Foundation

/// The second stage of the Layer III hybrid filterbank for one channel (ISO 11172-3, C.1.5.3): an
/// 18-line MDCT per polyphase subband over 36 samples (the previous granule's 18 and this one's),
/// sine window, long blocks only, then the encoder's alias-reduction butterflies.
///
/// Output granule g describes the subband samples of granule g − 1 and g, so decoders reconstruct
/// a granule one granule later: the 576-sample encoder delay every Layer III encoder has.
struct LayerIIIMDCT {
    /// Window times cosine basis, divided by 9 (= 18 / 2) because decoders run the IMDCT unscaled
    /// and overlap-add two windowed halves: without it the level would come back 9 times too high.
    private static let basis: [[Double]] = (0..<18).map { (line: Int) -> [Double] in
        (0..<36).map { (index: Int) -> Double in
            let window = sin(Double.pi / 36 * (Double(index) + 0.5))
            return window * cos(Double.pi / 72 * Double((2 * index + 19) * (2 * line + 1))) / 9
        }
    }

    /// The previous granule's 18 samples of each subband, already frequency-inverted.
    private var previous = [[Double]](repeating: [Double](repeating: 0, count: 18), count: 32)

    /// Takes one granule of polyphase output, 18 time slots of 32 subband samples (oldest first),
    /// and returns its 576 spectral lines, subband by subband (18 lines each, lowest first).
    mutating func transform(_ slots: [[Double]]) -> [Double] {
        precondition(slots.count == 18, "a granule is 18 polyphase time slots")
        var lines = [Double](repeating: 0, count: 576)
        var block = [Double](repeating: 0, count: 36)
        for band in 0..<32 {
            // The polyphase bank leaves odd subbands spectrally inverted; decoders undo that by negating
            // odd time samples of odd subbands after the IMDCT, so the encoder does it before the MDCT.
            let invert = band % 2 == 1
            for slot in 0..<18 {
                block[slot] = previous[band][slot]
                let sample = slots[slot][band]
                block[18 + slot] = invert && slot % 2 == 1 ? -sample : sample
            }
            previous[band] = Array(block[18..<36])
            for line in 0..<18 {
                let row = Self.basis[line]
                var sum = 0.0
                for index in 0..<36 { sum += row[index] * block[index] }
                lines[band * 18 + line] = sum
            }
        }
        // The MDCT of neighbouring subbands aliases across their shared edge; decoders rotate each of
        // the 8 line pairs around the edge by (cs, ca), so the encoder rotates them back first.
        for edge in 1..<32 {
            for offset in 0..<8 {
                let (cs, ca) = MPEGAudioTables.aliasButterflies[offset]
                let below = lines[18 * edge - 1 - offset]
                let above = lines[18 * edge + offset]
                lines[18 * edge - 1 - offset] = below * cs + above * ca
                lines[18 * edge + offset] = above * cs - below * ca
            }
        }
        return lines
    }
}
