/// The constant tables of MPEG audio Layer III framing and filterbank (ISO 11172-3 / 13818-3) that
/// `MPEGAudioEncoder` needs; the Huffman codes are in `LayerIIIHuffmanTables`.
enum MPEGAudioTables {
    /// Bitrates in kbit/s by header index, MPEG-1 Layer III (index 0 "free" is not used).
    static let mpeg1Bitrates = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
    /// Bitrates in kbit/s by header index, MPEG-2 low sampling frequencies, Layers II and III.
    static let mpeg2Bitrates = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
    /// Header sampling-frequency index for MPEG-1 rates.
    static let mpeg1RateIndex = [44100: 0, 48000: 1, 32000: 2]
    /// Header sampling-frequency index for MPEG-2 (LSF) rates.
    static let mpeg2RateIndex = [22050: 0, 24000: 1, 16000: 2]

    /// Widths of the 22 long-block scale factor bands (11172-3 table B.8, 13818-3 table B.2); the
    /// Huffman region boundaries (region0_count, region1_count) fall on these bands.
    private static let longBandWidths: [Int: [Int]] = [
        44100: [4, 4, 4, 4, 4, 4, 6, 6, 8, 8, 10, 12, 16, 20, 24, 28, 34, 42, 50, 54, 76, 158],
        48000: [4, 4, 4, 4, 4, 4, 6, 6, 6, 8, 10, 12, 16, 18, 22, 28, 34, 40, 46, 54, 54, 192],
        32000: [4, 4, 4, 4, 4, 4, 6, 6, 8, 10, 12, 16, 20, 24, 30, 38, 46, 56, 68, 84, 102, 26],
        22050: [6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 38, 46, 52, 60, 68, 58, 54],
        24000: [6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 18, 22, 26, 32, 38, 46, 52, 64, 70, 76, 36],
        16000: [6, 6, 6, 6, 6, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 38, 46, 52, 60, 68, 58, 54],
    ]

    /// The first spectral line of each long-block scale factor band, plus 576 at the end (23 values).
    static func longBandStarts(sampleRate: Int) -> [Int] {
        (longBandWidths[sampleRate] ?? []).reduce(into: [0]) { $0.append($0.last! + $1) }
    }

    /// Alias-reduction butterfly coefficients (cs, ca) from the standard's c_i (11172-3 table B.9).
    static let aliasButterflies: [(cs: Double, ca: Double)] = [-0.6, -0.535, -0.33, -0.185, -0.095, -0.041, -0.0142, -0.0037].map {
        let norm = (1 + $0 * $0).squareRoot()
        return (1 / norm, $0 / norm)
    }
}
