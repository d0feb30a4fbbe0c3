import Foundation

/// Turns a granule's Huffman-decoded integers into spectral values (11172-3 2.4.3.4.7):
/// xr = sign(is) · |is|^(4/3) · 2^(¼(global_gain − 210 − 8 · subblock_gain)) ·
/// 2^(−scalefac_multiplier · (scalefac + preflag · pretab)), with the multiplier ½ or 1 as
/// scalefac_scale says. Values stay in bitstream order (short bands window after window); the
/// reordering for the IMDCT comes after stereo processing, which needs the band structure.
enum LayerIIIRequantizer {
    /// One run of lines sharing a scale factor: a long band (window −1) or one window of a short band.
    struct Band: Sendable {
        let start: Int
        let width: Int
        /// −1 for long bands, else 0...2.
        let window: Int
        /// Index into the long or short scale factor bands.
        let band: Int
    }

    /// |is|^(4/3) for every magnitude the escape tables can code (15 + 2¹³ − 1).
    static let powerFourThirds: [Double] = (0...8206).map { pow(Double($0), 4.0 / 3.0) }

    /// Preemphasis added to long-band scale factors when preflag is set (11172-3 table B.6).
    static let pretab = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 3, 2, 0]

    /// The bands of a granule in bitstream order. Mixed blocks code the two lowest subbands (36
    /// lines) as long bands: 8 of them in MPEG-1, 6 in LSF; the short bands resume at band 3.
    static func layout(_ info: LayerIIIGranuleInfo, bands: LayerIIIScaleFactorBands, isMPEG1: Bool) -> [Band] {
        var layout: [Band] = []
        let longCount = info.hasShortBlocks ? (info.mixedBlock ? (isMPEG1 ? 8 : 6) : 0) : 22
        for band in 0..<longCount {
            layout.append(Band(start: bands.long[band], width: bands.long[band + 1] - bands.long[band], window: -1, band: band))
        }
        if info.hasShortBlocks {
            for band in (info.mixedBlock ? 3 : 0)..<13 {
                let width = bands.short[band + 1] - bands.short[band]
                for window in 0..<3 {
                    layout.append(Band(start: bands.short[band] * 3 + window * width, width: width, window: window, band: band))
                }
            }
        }
        return layout
    }

    /// Requantises the first `count` lines of `values` into `spectrum` (576 lines; the rest are zeroed).
    static func requantize(
        _ values: [Int32], count: Int, info: LayerIIIGranuleInfo, factors: LayerIIIScaleFactors,
        layout: [Band], into spectrum: inout [Double]
    ) {
        for index in 0..<576 { spectrum[index] = 0 }
        let multiplier = info.scalefacScale ? 1.0 : 0.5
        let base = 0.25 * Double(info.globalGain - 210)
        powerFourThirds.withUnsafeBufferPointer { power in
            for band in layout where band.start < count {
                let exponent: Double
                if band.window < 0 {
                    let scale = factors.long[band.band] + (info.preflag ? pretab[band.band] : 0)
                    exponent = base - multiplier * Double(scale)
                } else {
                    let scale = factors.short[band.band * 3 + band.window]
                    exponent = base - 2 * Double(info.subblockGain[band.window]) - multiplier * Double(scale)
                }
                let gain = pow(2, exponent)
                for line in band.start..<min(band.start + band.width, count) {
                    let value = Int(values[line])
                    let magnitude = power[min(abs(value), 8206)] * gain
                    spectrum[line] = value < 0 ? -magnitude : magnitude
                }
            }
        }
    }
}
