import Foundation

/// Codes the normalised band shapes of one frame (RFC 6716 §4.3.4, the encoder side of
/// `quant_all_bands`): per band a budget from the allocation plus the running balance, then either
/// PVQ with the pulse count the budget buys, or — when that exceeds what one codeword may hold —
/// a split into halves with a quantised angle θ describing how the energy divides between them.
///
/// The budgets are recomputed from `tellFrac` after every band exactly as the decoder does, so the
/// decoder derives the same pulse counts. Folding and the resynthesis a decoder does for bands
/// without pulses cost no bits and need no mirroring here.
struct CELTBandCoder {
    let frameShift: Int
    let spread: Int
    private var remainingBits = 0

    init(frameShift: Int, spread: Int) {
        self.frameShift = frameShift
        self.spread = spread
    }

    /// `spectrum` holds the frame's bins normalised per band (unit energy in each band).
    mutating func encode(
        spectrum: [Float], allocation: CELTAllocation.Result, totalBits: Int, coder: inout OpusRangeEncoder
    ) {
        var balance = allocation.balance
        for band in 0..<CELTTables.bandCount {
            let start = CELTTables.bandEdges[band] << frameShift
            let end = CELTTables.bandEdges[band + 1] << frameShift
            let tell = coder.tellFrac
            if band != 0 { balance -= tell }
            remainingBits = totalBits - tell - 1
            var budget = 0
            if band < allocation.codedBands {
                let share = balance / min(3, allocation.codedBands - band)
                budget = max(0, min(16383, min(remainingBits + 1, allocation.shapeBits[band] + share)))
            }
            partition(Array(spectrum[start..<end]), budget: budget, band: band, shift: frameShift, coder: &coder)
            balance += allocation.shapeBits[band] + tell
        }
    }

    private mutating func partition(_ x: [Float], budget: Int, band: Int, shift: Int, coder: inout OpusRangeEncoder) {
        let n = x.count
        if shift != -1 && budget > CELTAllocation.maxCachedBits(band: band, frameShift: shift) + 12 && n > 2 {
            let half = n / 2
            let mid = Array(x[0..<half])
            let side = Array(x[half..<n])
            var bits = budget
            let split = codeAngle(mid: mid, side: side, budget: &bits, band: band, shift: shift - 1, coder: &coder)
            var midBits = max(0, min(bits, (bits - split.delta) / 2))
            var sideBits = bits - midBits
            remainingBits -= split.cost
            var rebalance = remainingBits
            // Bits the first half did not use go to the second (minus a 3-bit margin).
            if midBits >= sideBits {
                partition(mid, budget: midBits, band: band, shift: shift - 1, coder: &coder)
                rebalance = midBits - (rebalance - remainingBits)
                if rebalance > 3 << 3 && split.angle != 0 { sideBits += rebalance - (3 << 3) }
                partition(side, budget: sideBits, band: band, shift: shift - 1, coder: &coder)
            } else {
                partition(side, budget: sideBits, band: band, shift: shift - 1, coder: &coder)
                rebalance = sideBits - (rebalance - remainingBits)
                if rebalance > 3 << 3 && split.angle != 16384 { midBits += rebalance - (3 << 3) }
                partition(mid, budget: midBits, band: band, shift: shift - 1, coder: &coder)
            }
            return
        }
        var q = CELTAllocation.pseudoPulses(band: band, frameShift: shift, bits: budget)
        var cost = CELTAllocation.bits(forPseudo: q, band: band, frameShift: shift)
        remainingBits -= cost
        // Never spend more than the frame has left.
        while remainingBits < 0 && q > 0 {
            remainingBits += cost
            q -= 1
            cost = CELTAllocation.bits(forPseudo: q, band: band, frameShift: shift)
            remainingBits -= cost
        }
        guard q > 0 else { return }
        let k = CELTAllocation.pulses(forPseudo: q)
        var shape = x
        CELTPyramidVectorQuantizer.rotate(&shape, pulses: k, spread: spread, forward: true)
        let pulses = CELTPyramidVectorQuantizer.search(shape, pulses: k)
        let code = CELTPyramidVectorQuantizer.index(of: pulses)
        coder.encodeUniform(UInt32(code.index), total: code.count)
    }

    /// Codes θ, the split of a band's energy between its halves, and returns its quantised value
    /// (0…16384 for 0…π/2), its cost in 1/8 bits and the bit offset the decoder derives from it.
    private func codeAngle(
        mid: [Float], side: [Float], budget: inout Int, band: Int, shift: Int, coder: inout OpusRangeEncoder
    ) -> (angle: Int, cost: Int, delta: Int) {
        let n = mid.count
        let pulseCap = CELTTables.logWidth[band] + shift * (1 << 3)
        let offset = (pulseCap >> 1) - 4
        let steps = Self.angleSteps(length: n, budget: budget, offset: offset, pulseCap: pulseCap)
        let tell = coder.tellFrac
        var angle = 0
        if steps != 1 {
            let midEnergy = mid.reduce(Float(1e-15)) { $0 + $1 * $1 }
            let sideEnergy = side.reduce(Float(1e-15)) { $0 + $1 * $1 }
            let raw = Int((16384 * 2 / Float.pi * atan2(sideEnergy.squareRoot(), midEnergy.squareRoot()) + 0.5).rounded(.down))
            var level = (raw * steps + 8192) >> 14
            level = max(0, min(steps, level))
            // Triangular distribution peaking at θ = π/4.
            let halfSteps = steps >> 1
            let total = (halfSteps + 1) * (halfSteps + 1)
            let size = level <= halfSteps ? level + 1 : steps + 1 - level
            let low = level <= halfSteps ? (level * (level + 1)) >> 1 : total - (((steps + 1 - level) * (steps + 2 - level)) >> 1)
            coder.encode(UInt32(low), UInt32(low + size), total: UInt32(total))
            angle = level * 16384 / steps
        }
        let cost = coder.tellFrac - tell
        budget -= cost
        let delta: Int
        if angle == 0 {
            delta = -16384
        } else if angle == 16384 {
            delta = 16384
        } else {
            let cosine = Self.bitexactCos(angle)
            let sine = Self.bitexactCos(16384 - angle)
            delta = Self.fracMul16((n - 1) << 7, Self.bitexactLog2Tan(sine, cosine))
        }
        return (angle, cost, delta)
    }

    /// Resolution of θ: finer with more bits per bin, at most 256 steps, even.
    static func angleSteps(length n: Int, budget: Int, offset: Int, pulseCap: Int) -> Int {
        let n2 = 2 * n - 1
        var qb = (budget + n2 * offset) / n2
        qb = min(budget - pulseCap - (4 << 3), qb)
        qb = min(8 << 3, qb)
        if qb < (1 << 3) >> 1 { return 1 }
        let steps = CELTTables.exp2Eighths[qb & 7] >> (14 - (qb >> 3))
        return ((steps + 1) >> 1) << 1
    }

    /// Q15 product with rounding, on 16-bit operands as the decoder computes it.
    static func fracMul16(_ a: Int, _ b: Int) -> Int {
        (16384 + Int(Int16(truncatingIfNeeded: a)) * Int(Int16(truncatingIfNeeded: b))) >> 15
    }

    /// cos(π/2 · x/16384) in Q15 by the polynomial every decoder uses, so allocations agree.
    static func bitexactCos(_ x: Int) -> Int {
        let x2 = (4096 + x * x) >> 13
        let poly = fracMul16(x2, -7651 + fracMul16(x2, 8277 + fracMul16(-626, x2)))
        return 1 + (32767 - x2) + poly
    }

    /// 2048 · log2(sine / cosine), bit-exact.
    static func bitexactLog2Tan(_ sine: Int, _ cosine: Int) -> Int {
        let lc = OpusRangeEncoder.ilog(UInt32(cosine))
        let ls = OpusRangeEncoder.ilog(UInt32(sine))
        let c = cosine << (15 - lc)
        let s = sine << (15 - ls)
        return (ls - lc) * (1 << 11) + fracMul16(s, fracMul16(s, -2597) + 7932) - fracMul16(c, fracMul16(c, -2597) + 7932)
    }
}
