import Foundation

/// Joint stereo processing of one granule (11172-3 2.4.3.4.9, 13818-3 2.4.3.2), on requantised
/// spectra in bitstream order.
///
/// Mid/side: the channels carry M and S; L = (M + S)/√2, R = (M − S)/√2. Intensity: above the
/// highest non-zero line of the right channel (per window for short blocks), the left channel
/// carries the sum and the right channel's scale factors an intensity position that splits it.
/// MPEG-1 splits by tan(is_pos · π/12); LSF by powers of 2^(−¼) or 2^(−½), with its own "no
/// intensity" value per band.
enum LayerIIIStereo {
    /// MPEG-1 (left, right) factors for is_pos 0...6.
    private static let mpeg1Ratios: [(Double, Double)] = (0..<7).map { position in
        if position == 6 { return (1, 0) }
        let ratio = tan(Double(position) * Double.pi / 12)
        return (ratio / (1 + ratio), 1 / (1 + ratio))
    }

    static func process(
        left: inout [Double], right: inout [Double], count: Int, midSide: Bool, intensity: Bool,
        layout: [LayerIIIRequantizer.Band], rightFactors: LayerIIIScaleFactors, isMPEG1: Bool
    ) {
        let scale = 1 / 2.0.squareRoot()
        func midSideLines(_ lines: Range<Int>) {
            for line in lines {
                let mid = left[line]
                let side = right[line]
                left[line] = (mid + side) * scale
                right[line] = (mid - side) * scale
            }
        }
        guard intensity else {
            if midSide { midSideLines(0..<count) }
            return
        }

        // Which bands lie above the right channel's last non-zero line: long bands only when no
        // short window has any, short bands per window.
        var isIntensityBand = [Bool](repeating: false, count: layout.count)
        var windowSeen = [false, false, false]
        var longSeen = false
        for (index, band) in layout.enumerated().reversed() {
            let nonZero = right[band.start..<band.start + band.width].contains { $0 != 0 }
            if band.window >= 0 {
                if nonZero { windowSeen[band.window] = true }
                isIntensityBand[index] = !windowSeen[band.window]
            } else {
                if nonZero { longSeen = true }
                isIntensityBand[index] = !longSeen && !windowSeen.contains(true)
            }
        }

        let step = rightFactors.intensityScale == 0 ? pow(2, -0.25) : pow(2, -0.5)
        for (index, band) in layout.enumerated() {
            let lines = band.start..<band.start + band.width
            var position = -1
            if isIntensityBand[index] {
                // The last band has no scale factor of its own; it takes its neighbour's position.
                if band.window < 0 {
                    let source = min(band.band, 20)
                    if rightFactors.long[source] != rightFactors.longIllegal[source] { position = rightFactors.long[source] }
                } else {
                    let source = min(band.band, 11) * 3 + band.window
                    if rightFactors.short[source] != rightFactors.shortIllegal[source] { position = rightFactors.short[source] }
                }
            }
            guard position >= 0 else {
                if midSide { midSideLines(lines) }
                continue
            }
            let factors: (Double, Double)
            if isMPEG1 {
                factors = mpeg1Ratios[min(position, 6)]
            } else if position == 0 {
                factors = (1, 1)
            } else if position & 1 == 1 {
                factors = (pow(step, Double((position + 1) / 2)), 1)
            } else {
                factors = (1, pow(step, Double(position / 2)))
            }
            for line in lines {
                let sum = left[line]
                left[line] = sum * factors.0
                right[line] = sum * factors.1
            }
        }
    }
}
