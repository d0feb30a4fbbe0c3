import Foundation

/// The Layer III half of the decoder's hybrid filterbank for one channel (11172-3 2.4.3.4.10 to
/// 2.4.3.4.13): short-block reordering, alias reduction, IMDCT with the block type's window,
/// overlap-add with the previous granule and frequency inversion. Its output is 18 time slots of
/// 32 subband samples, the input of `PolyphaseSynthesis`.
struct LayerIIIHybridSynthesis {
    /// The second halves of the previous granule's windowed IMDCT outputs, 18 per subband.
    private var overlap = [Double](repeating: 0, count: 576)
    private var reordered = [Double](repeating: 0, count: 576)
    private var block = [Double](repeating: 0, count: 36)

    /// Long IMDCT (36 outputs from 18 lines), x_i = Σ X_k cos(π/72 · (2i + 19)(2k + 1)). Outputs
    /// 0...17 are odd about 8.5 and 18...35 even about 26.5, so only rows 0...8 and 18...26 are
    /// kept, 18 coefficients each.
    private static let longCosines: [Double] = {
        var table: [Double] = []
        let rows: [Int] = Array(0..<9) + Array(18..<27)
        for i in rows {
            for k in 0..<18 { table.append(cos(Double.pi / 72 * Double((2 * i + 19) * (2 * k + 1)))) }
        }
        return table
    }()
    /// Short IMDCT (12 outputs from 6 lines), x_i = Σ X_k cos(π/24 · (2i + 7)(2k + 1)).
    private static let shortCosines: [Double] = {
        var table: [Double] = []
        for i in 0..<12 {
            for k in 0..<6 { table.append(cos(Double.pi / 24 * Double((2 * i + 7) * (2 * k + 1)))) }
        }
        return table
    }()
    /// Windows by block type 0, 1 (start), 3 (stop), 36 taps each; index 2 is unused (short).
    private static let longWindows: [[Double]] = {
        let sine36 = (0..<36).map { sin(Double.pi / 36 * (Double($0) + 0.5)) }
        let sine12 = (0..<12).map { sin(Double.pi / 12 * (Double($0) + 0.5)) }
        let start = (0..<36).map { i -> Double in
            switch i {
            case 0..<18: sine36[i]
            case 18..<24: 1
            case 24..<30: sine12[i - 18]
            default: 0
            }
        }
        let stop = (0..<36).map { i -> Double in
            switch i {
            case 0..<6: 0
            case 6..<12: sine12[i - 6]
            case 12..<18: 1
            default: sine36[i]
            }
        }
        return [sine36, start, sine36, stop]
    }()
    private static let shortWindow: [Double] = (0..<12).map { sin(Double.pi / 12 * (Double($0) + 0.5)) }

    /// `spectrum` is one channel's granule after stereo processing, in bitstream order, zero from
    /// line `count` on. Writes 18 × 32 samples to `output` at `slot * 32 + subband`.
    mutating func process(
        _ spectrum: inout [Double], count: Int, info: LayerIIIGranuleInfo, layout: [LayerIIIRequantizer.Band],
        into output: inout [Double]
    ) {
        let shortBlocks = info.hasShortBlocks
        if shortBlocks {
            // Short windows are coded band by band, each band window after window; the IMDCT wants
            // each subband's six lines per window together: subband · 18 + window · 6 + line.
            for index in 0..<576 { reordered[index] = spectrum[index] }
            for band in layout where band.window >= 0 {
                let first = (band.start - band.window * band.width) / 3  // the band's first line within a window
                for offset in 0..<band.width {
                    let line = first + offset
                    reordered[line / 6 * 18 + band.window * 6 + line % 6] = spectrum[band.start + offset]
                }
            }
            for index in 0..<576 { spectrum[index] = reordered[index] }
        }

        // Alias reduction applies between long subbands only: all of them for long blocks, the
        // boundary between subbands 0 and 1 for mixed blocks, none for pure short blocks.
        let aliasBoundaries = shortBlocks ? (info.mixedBlock ? 1 : 0) : min(31, (count + 17) / 18)
        for boundary in stride(from: 1, through: aliasBoundaries, by: 1) {
            for i in 0..<8 {
                let (cs, ca) = MPEGAudioTables.aliasButterflies[i]
                let lower = spectrum[18 * boundary - 1 - i]
                let upper = spectrum[18 * boundary + i]
                spectrum[18 * boundary - 1 - i] = lower * cs - upper * ca
                spectrum[18 * boundary + i] = upper * cs + lower * ca
            }
        }
        // Subbands past the last non-zero line (plus the one alias reduction may have reached)
        // transform to silence and only release their overlap.
        let activeSubbands = shortBlocks ? 32 : min(32, aliasBoundaries + 1)

        spectrum.withUnsafeBufferPointer { input in
            overlap.withUnsafeMutableBufferPointer { overlap in
                block.withUnsafeMutableBufferPointer { block in
                    output.withUnsafeMutableBufferPointer { output in
                        for subband in 0..<32 {
                            let base = subband * 18
                            if subband >= activeSubbands {
                                for i in 0..<18 {
                                    output[i * 32 + subband] = overlap[base + i]
                                    overlap[base + i] = 0
                                }
                            } else {
                                let blockType = info.mixedBlock && subband < 2 ? 0 : info.blockType
                                if blockType == 2 {
                                    Self.shortIMDCT(input.baseAddress! + base, into: block)
                                } else {
                                    Self.longIMDCT(input.baseAddress! + base, window: Self.longWindows[blockType], into: block)
                                }
                                for i in 0..<18 {
                                    output[i * 32 + subband] = block[i] + overlap[base + i]
                                    overlap[base + i] = block[18 + i]
                                }
                            }
                            // The analysis filterbank's odd subbands are spectrally inverted.
                            if subband & 1 == 1 {
                                for i in stride(from: 1, to: 18, by: 2) { output[i * 32 + subband] = -output[i * 32 + subband] }
                            }
                        }
                    }
                }
            }
        }
    }

    private static func longIMDCT(_ input: UnsafePointer<Double>, window: [Double], into block: UnsafeMutableBufferPointer<Double>) {
        longCosines.withUnsafeBufferPointer { cosines in
            for row in 0..<9 {
                var first = 0.0
                var second = 0.0
                let a = row * 18
                let b = (9 + row) * 18
                for k in 0..<18 {
                    first += input[k] * cosines[a + k]
                    second += input[k] * cosines[b + k]
                }
                block[row] = first * window[row]
                block[17 - row] = -first * window[17 - row]
                block[18 + row] = second * window[18 + row]
                block[35 - row] = second * window[35 - row]
            }
        }
    }

    /// Three 12-point IMDCTs, windowed and overlapped into the middle of the 36-sample block.
    private static func shortIMDCT(_ input: UnsafePointer<Double>, into block: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<36 { block[i] = 0 }
        shortCosines.withUnsafeBufferPointer { cosines in
            for window in 0..<3 {
                let lines = input + window * 6
                for i in 0..<12 {
                    var sum = 0.0
                    for k in 0..<6 { sum += lines[k] * cosines[i * 6 + k] }
                    block[6 + 6 * window + i] += sum * shortWindow[i]
                }
            }
        }
    }
}
