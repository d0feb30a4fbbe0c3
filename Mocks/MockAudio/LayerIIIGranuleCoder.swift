import Foundation

/// Quantises and Huffman-codes the 576 spectral lines of one granule of one channel (long block,
/// all scale factors 0, so part2 is empty and part2_3_length is the Huffman data alone).
///
/// Without a psychoacoustic model there is nothing to shape the noise by, and a flat quantiser step
/// across the spectrum is what minimises the total noise power: so every scale factor is 0 and only
/// `global_gain` is searched, for the finest step whose Huffman code fits the bit budget.
struct LayerIIIGranuleCoder {
    /// Largest magnitude any table codes: 15 plus 13 linbits.
    private static let largestValue = 15 + (1 << 13) - 1
    /// `part2_3_length` has 12 bits.
    static let largestLength = 4095

    /// Everything the side info and main data need for one coded granule.
    struct Granule {
        var globalGain = 210
        /// Quantised lines with their signs.
        var values = [Int](repeating: 0, count: 576)
        /// Pairs in the big-values region.
        var bigValues = 0
        /// First line of the all-zero region; lines from 2 · bigValues up to it are quadruples of 0/±1.
        var zeroStart = 0
        var tableSelect = [0, 0, 0]
        var region0Count = 0
        var region1Count = 0
        /// 0: quadruple table A, 1: table B.
        var count1Table = 0
        /// Bits of Huffman data, which is all of part2_3_length.
        var length = 0
    }

    /// First pair of each long scale factor band, plus 288.
    private let bandPairs: [Int]

    init(sampleRate: Int) {
        bandPairs = MPEGAudioTables.longBandStarts(sampleRate: sampleRate).map { $0 / 2 }
    }

    /// The granule at the smallest global gain (finest step) whose code takes at most `budget` bits.
    func code(_ lines: [Double], budget: Int) -> Granule {
        let budget = min(budget, Self.largestLength)
        // |xr|^(3/4) once: ix = nint(|xr|^(3/4) · 2^(−3(gain − 210)/16) − 0.0946) for every gain tried.
        let powered = lines.map { pow(abs($0), 0.75) }
        guard let loudest = powered.max(), loudest > 0 else { return Granule() }
        func attempt(_ gain: Int) -> Granule? {
            let scale = pow(2, -0.1875 * Double(gain - 210))
            guard loudest * scale + 0.4054 < Double(Self.largestValue + 1) else { return nil }
            var granule = Granule()
            granule.globalGain = gain
            for index in 0..<576 {
                let magnitude = Int(powered[index] * scale + 0.4054)
                granule.values[index] = lines[index] < 0 ? -magnitude : magnitude
            }
            layOut(&granule)
            return granule.length <= budget ? granule : nil
        }
        // Bits fall as the gain rises (almost always monotonically): bisect, then step up past any
        // exception. At gain 255 a 16-bit signal quantises to all zeros, which always fits.
        var low = 0
        var high = 255
        while low < high {
            let middle = (low + high) / 2
            if attempt(middle) != nil { high = middle } else { low = middle + 1 }
        }
        for gain in low...255 {
            if let granule = attempt(gain) { return granule }
        }
        return Granule()
    }

    // MARK: Layout

    /// Splits the lines into big-values, count1 and zero regions and picks the cheapest tables.
    private func layOut(_ granule: inout Granule) {
        let magnitudes = granule.values.map(abs)
        var zeroStart = 576
        while zeroStart > 0, magnitudes[zeroStart - 1] == 0, magnitudes[zeroStart - 2] == 0 { zeroStart -= 2 }
        var bigEnd = zeroStart
        while bigEnd >= 4, magnitudes[(bigEnd - 4)..<bigEnd].allSatisfy({ $0 <= 1 }) { bigEnd -= 4 }
        granule.zeroStart = zeroStart
        granule.bigValues = bigEnd / 2

        var quadA = 0
        var quadB = 0
        for start in stride(from: bigEnd, to: zeroStart, by: 4) {
            let index = magnitudes[start] << 3 | magnitudes[start + 1] << 2 | magnitudes[start + 2] << 1 | magnitudes[start + 3]
            let signs = index.nonzeroBitCount
            quadA += Int(LayerIIIHuffmanTables.quadLengthsA[index]) + signs
            quadB += 4 + signs
        }
        granule.count1Table = quadB < quadA ? 1 : 0

        let (bigBits, regions) = bestRegions(magnitudes, pairs: granule.bigValues)
        granule.tableSelect = regions.tables
        granule.region0Count = regions.region0
        granule.region1Count = regions.region1
        granule.length = bigBits + min(quadA, quadB)
    }

    /// What coding a pair costs in one table, precomputed because the gain search asks thousands of
    /// times per granule.
    private struct PairCosts {
        let select: Int
        let maximum: Int
        /// Bits for the pair (min(x, 15), min(y, 15)) at index x · 16 + y: code, sign bits and any
        /// linbits; `impossible` where the table has no such pair.
        let bits: [Int]
    }

    private static let impossible = 1 << 40

    private static let pairCosts: [PairCosts] = (0..<32).compactMap { (select: Int) -> PairCosts? in
        guard select != 0 else { return PairCosts(select: 0, maximum: 0, bits: [0] + [Int](repeating: impossible, count: 255)) }
        guard let table = LayerIIIHuffmanTables.pairTables[select] else { return nil }
        var bits = [Int](repeating: impossible, count: 256)
        for x in 0..<table.size {
            for y in 0..<table.size {
                var cost = Int(table.lengths[x * table.size + y]) + (x > 0 ? 1 : 0) + (y > 0 ? 1 : 0)
                if table.linbits > 0 { cost += (x == 15 ? table.linbits : 0) + (y == 15 ? table.linbits : 0) }
                bits[x * 16 + y] = cost
            }
        }
        return PairCosts(select: select, maximum: table.maximum, bits: bits)
    }

    /// Tries every legal split of the big-values region into three regions on scale factor band
    /// edges, each with its cheapest table; returns the smallest total.
    private func bestRegions(_ magnitudes: [Int], pairs: Int) -> (bits: Int, (tables: [Int], region0: Int, region1: Int)) {
        guard pairs > 0 else { return (0, ([0, 0, 0], 0, 0)) }
        let impossible = Self.impossible
        let largest = magnitudes[0..<(2 * pairs)].max() ?? 0
        // In each escape family (16–23, 24–31) the members after the first that reaches the largest
        // value only spend more linbits on the same codes, so they are left out.
        var familiesCovered = Set<Int>()
        let candidates = Self.pairCosts.filter { costs in
            guard costs.select >= 16 else { return true }
            let family = costs.select < 24 ? 16 : 24
            guard !familiesCovered.contains(family) else { return false }
            if costs.maximum >= largest { familiesCovered.insert(family) }
            return true
        }
        // Running cost of the first p pairs in each table, so any region's cost is one subtraction.
        var running: [[Int]] = []
        for costs in candidates {
            var sums = [Int](repeating: 0, count: pairs + 1)
            var total = 0
            for pair in 0..<pairs {
                let x = magnitudes[2 * pair]
                let y = magnitudes[2 * pair + 1]
                total += x > costs.maximum || y > costs.maximum ? impossible : costs.bits[min(x, 15) * 16 + min(y, 15)]
                sums[pair + 1] = total
            }
            running.append(sums)
        }
        func cheapest(_ start: Int, _ end: Int) -> (bits: Int, table: Int) {
            guard end > start else { return (0, 0) }
            var bits = impossible
            var table = 0
            for choice in 0..<running.count {
                let cost = running[choice][end] - running[choice][start]
                if cost < bits {
                    bits = cost
                    table = candidates[choice].select
                }
            }
            return (bits, table)
        }
        var best = (bits: impossible, (tables: [0, 0, 0], region0: 0, region1: 0))
        for region0 in 0..<16 {
            let first = min(bandPairs[region0 + 1], pairs)
            let head = cheapest(0, first)
            for region1 in 0..<8 where region0 + region1 <= 20 {
                let second = min(bandPairs[region0 + region1 + 2], pairs)
                let middle = cheapest(first, second)
                let tail = cheapest(second, pairs)
                let bits = head.bits + middle.bits + tail.bits
                if bits < best.bits { best = (bits, ([head.table, middle.table, tail.table], region0, region1)) }
                if second == pairs { break }  // a longer region 1 gives the same split
            }
            if first == pairs { break }  // likewise a longer region 0
        }
        return best
    }

    // MARK: Writing

    /// Appends the granule's Huffman data (part 3), exactly `granule.length` bits.
    func write(_ granule: Granule, to writer: inout BitWriter) {
        let values = granule.values
        let first = bandPairs[granule.region0Count + 1]
        let second = bandPairs[granule.region0Count + granule.region1Count + 2]
        for pair in 0..<granule.bigValues {
            let select = granule.tableSelect[pair < first ? 0 : pair < second ? 1 : 2]
            guard select != 0, let table = LayerIIIHuffmanTables.pairTables[select] else { continue }
            let x = values[2 * pair]
            let y = values[2 * pair + 1]
            let index = min(abs(x), 15) * table.size + min(abs(y), 15)
            writer.write(UInt64(table.codes[index]), bits: Int(table.lengths[index]))
            for value in [x, y] where value != 0 {
                if table.linbits > 0, abs(value) >= 15 { writer.write(UInt64(abs(value) - 15), bits: table.linbits) }
                writer.write(value < 0 ? 1 : 0, bits: 1)
            }
        }
        for start in stride(from: 2 * granule.bigValues, to: granule.zeroStart, by: 4) {
            let quad = values[start..<(start + 4)]
            let index = quad.reduce(0) { $0 << 1 | ($1 == 0 ? 0 : 1) }
            if granule.count1Table == 0 {
                writer.write(UInt64(LayerIIIHuffmanTables.quadCodesA[index]), bits: Int(LayerIIIHuffmanTables.quadLengthsA[index]))
            } else {
                writer.write(UInt64(15 - index), bits: 4)
            }
            for value in quad where value != 0 { writer.write(value < 0 ? 1 : 0, bits: 1) }
        }
    }
}
