import Foundation

/// The constant tables of MPEG audio Layer II (ISO 11172-3 / 13818-3) that `MPEGAudioEncoder` needs.
enum MPEGAudioTables {
    /// Bitrates in kbit/s by header index, MPEG-1 Layer II (index 0 "free" is not used).
    static let mpeg1Bitrates = [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384]
    /// Bitrates in kbit/s by header index, MPEG-2 low sampling frequencies, Layers II and III.
    static let mpeg2Bitrates = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
    /// Header sampling-frequency index for MPEG-1 rates.
    static let mpeg1RateIndex = [44100: 0, 48000: 1, 32000: 2]
    /// Header sampling-frequency index for MPEG-2 (LSF) rates.
    static let mpeg2RateIndex = [22050: 0, 24000: 1, 16000: 2]

    /// Layer II scale factors: 2 · 2^(-i/3) for i in 0...62, largest first.
    static let scaleFactors: [Double] = (0..<63).map { 2.0 * pow(2.0, -Double($0) / 3.0) }

    /// Quantisation classes a subband may use, by allocation code (code 0 = nothing transmitted).
    /// Each entry is a number of levels; 3, 5 and 9 levels are sent as one codeword per 3 samples.
    struct SubbandClasses {
        /// Bits of the allocation code.
        let allocationBits: Int
        /// Levels for allocation codes 1, 2, …
        let levels: [Int]
    }

    private static let wideLow = SubbandClasses(allocationBits: 4, levels: [3, 7, 15, 31, 63, 127, 255, 511, 1023, 2047, 4095, 8191, 16383, 32767, 65535])
    private static let wideMid = SubbandClasses(allocationBits: 4, levels: [3, 5, 7, 9, 15, 31, 63, 127, 255, 511, 1023, 2047, 4095, 8191, 65535])
    private static let wideHigh = SubbandClasses(allocationBits: 3, levels: [3, 5, 7, 9, 15, 31, 65535])
    private static let wideTop = SubbandClasses(allocationBits: 2, levels: [3, 5, 65535])
    private static let narrowLow = SubbandClasses(allocationBits: 4, levels: [3, 5, 9, 15, 31, 63, 127, 255, 511, 1023, 2047, 4095, 8191, 16383, 32767])
    private static let narrowHigh = SubbandClasses(allocationBits: 3, levels: [3, 5, 9, 15, 31, 63, 127])
    private static let lsfLow = SubbandClasses(allocationBits: 4, levels: [3, 5, 7, 9, 15, 31, 63, 127, 255, 511, 1023, 2047, 4095, 8191, 16383])
    private static let lsfMid = SubbandClasses(allocationBits: 3, levels: [3, 5, 9, 15, 31, 63, 127])
    private static let lsfHigh = SubbandClasses(allocationBits: 2, levels: [3, 5, 9])

    /// The allocation table (one entry per coded subband) the standard prescribes for this
    /// sampling rate and bitrate per channel (tables B.2a–d of 11172-3, B.1 of 13818-3).
    static func allocationTable(sampleRate: Int, bitratePerChannel: Int) -> [SubbandClasses] {
        if mpeg2RateIndex[sampleRate] != nil {
            return Array(repeating: lsfLow, count: 4) + Array(repeating: lsfMid, count: 7) + Array(repeating: lsfHigh, count: 19)
        }
        if bitratePerChannel <= 48 {
            let limit = sampleRate == 32000 ? 12 : 8  // B.2d or B.2c
            return Array(repeating: narrowLow, count: 2) + Array(repeating: narrowHigh, count: limit - 2)
        }
        let limit = (bitratePerChannel >= 96 && sampleRate != 48000) ? 30 : 27  // B.2b or B.2a
        return Array(repeating: wideLow, count: 3) + Array(repeating: wideMid, count: 8)
            + Array(repeating: wideHigh, count: 12) + Array(repeating: wideTop, count: limit - 23)
    }

    /// Bits per codeword for a class: grouped classes code three samples in one word.
    static func codewordBits(levels: Int) -> (bits: Int, grouped: Bool) {
        switch levels {
        case 3: (5, true)
        case 5: (7, true)
        case 9: (10, true)
        default: (Int(log2(Double(levels + 1))), false)
        }
    }
}
