import Foundation

/// Band energies of one CELT frame: measured, then coded in three passes (RFC 6716 §4.3.2) —
/// coarse (6 dB steps, Laplace coded against a time/frequency prediction), fine (raw bits as the
/// allocation grants them) and final (one more bit for bands the leftover bits can reach).
///
/// Energies are log2 amplitudes with the band's mean (`energyMeans`) removed, the domain the
/// decoder works in. `quantized` tracks the decoder's view after each pass; `error` what is left.
struct CELTEnergyCoder {
    private(set) var quantized: [Float]
    private(set) var error: [Float]

    /// log2 band amplitudes minus the band means, floored far below audibility so that digital
    /// silence costs a bounded number of coarse symbols.
    static func logEnergies(of spectrum: [Float], frameShift: Int) -> [Float] {
        (0..<CELTTables.bandCount).map { band in
            let start = CELTTables.bandEdges[band] << frameShift
            let end = CELTTables.bandEdges[band + 1] << frameShift
            var sum: Float = 1e-27
            for bin in start..<end { sum += spectrum[bin] * spectrum[bin] }
            return max(-28, 0.5 * log2(sum) - CELTTables.energyMeans[band])
        }
    }

    init() {
        quantized = [Float](repeating: 0, count: CELTTables.bandCount)
        error = quantized
    }

    /// Coarse pass, intra: each band is predicted from the lower bands of the same frame only, so
    /// no state carries across frames (inter prediction would save bits but needs the decoder's
    /// energy history). `budget` is the frame size in bits.
    mutating func encodeCoarseIntra(_ target: [Float], budget: Int, coder: inout OpusRangeEncoder) {
        let model = CELTTables.coarseModelIntra
        let beta = CELTTables.intraBeta
        var carried: Float = 0
        for band in 0..<CELTTables.bandCount {
            let residual = target[band] - carried
            var value = Int((residual + 0.5).rounded(.down))
            let tell = coder.tell
            // Near the end of the frame the decoder switches to cheaper models; pick values they can carry.
            let spare = budget - tell - 3 * (CELTTables.bandCount - band)
            if band != 0 && spare < 30 {
                if spare < 24 { value = min(1, value) }
                if spare < 16 { value = max(-1, value) }
            }
            if budget - tell >= 15 {
                value = Self.encodeLaplace(value, probability: model[2 * band] << 7, decay: model[2 * band + 1] << 6, coder: &coder)
            } else if budget - tell >= 2 {
                value = max(-1, min(1, value))
                coder.encodeICDF(value < 0 ? 1 : 2 * value, CELTTables.smallEnergyICDF, bits: 2)
            } else if budget - tell >= 1 {
                value = min(0, value)
                coder.encodeBit(value != 0, logp: 1)
            } else {
                value = -1
            }
            let q = Float(value)
            error[band] = residual - q
            quantized[band] = carried + q
            carried += q - beta * q
        }
    }

    /// Codes `value` with CELT's Laplace-like model: P(0) = `probability`/32768, each further
    /// magnitude `decay`/16384 times the previous one (both signs), and a floor of one count per
    /// value once the geometric part is used up. Returns the value actually coded (clamped at the
    /// far tail).
    static func encodeLaplace(_ value: Int, probability: Int, decay: Int, coder: inout OpusRangeEncoder) -> Int {
        let minimum = 1
        var low = 0
        var size = probability
        var coded = value
        if value != 0 {
            let negative = value < 0
            let magnitude = abs(value)
            low = probability
            // Frequency of magnitude 1, per sign, before the floor is added.
            size = ((32768 - 2 * 16 * minimum - probability) * (16384 - decay)) >> 15
            var step = 1
            while size > 0 && step < magnitude {
                size *= 2
                low += size + 2 * minimum
                size = (size * decay) >> 15
                step += 1
            }
            if size == 0 {
                // Tail: every further magnitude has the minimum frequency; stop at the table's end.
                let room = (32768 - low + minimum - 1) / minimum
                let pairs = (room + (negative ? 1 : 0)) >> 1
                let extra = min(magnitude - step, pairs - 1)
                low += (2 * extra + 1 + (negative ? -1 : 0)) * minimum
                size = min(minimum, 32768 - low)
                coded = negative ? -(step + extra) : step + extra
            } else {
                size += minimum
                if !negative { low += size }
            }
        }
        coder.encodeBin(UInt32(low), UInt32(low + size), bits: 15)
        return coded
    }

    /// Fine pass: `bits[band]` raw bits refine each band's energy uniformly within its coarse step.
    mutating func encodeFine(bits: [Int], coder: inout OpusRangeEncoder) {
        for band in 0..<CELTTables.bandCount where bits[band] > 0 {
            let levels = 1 << bits[band]
            let index = max(0, min(levels - 1, Int(((error[band] + 0.5) * Float(levels)).rounded(.down))))
            coder.encodeRawBits(UInt32(index), count: bits[band])
            let offset = (Float(index) + 0.5) / Float(levels) - 0.5
            quantized[band] += offset
            error[band] -= offset
        }
    }

    /// Final pass: one more bit per band, first for bands of priority 0 then 1, while bits last.
    mutating func encodeFinal(bits: [Int], priority: [Int], bitsLeft: Int, coder: inout OpusRangeEncoder) {
        var left = bitsLeft
        for pass in 0..<2 {
            for band in 0..<CELTTables.bandCount where left >= 1 {
                if bits[band] >= CELTAllocation.maxFineBits || priority[band] != pass { continue }
                let up = error[band] >= 0
                coder.encodeRawBits(up ? 1 : 0, count: 1)
                let offset = (up ? 0.5 : -0.5) / Float(1 << (bits[band] + 1))
                quantized[band] += offset
                error[band] -= offset
                left -= 1
            }
        }
    }
}
