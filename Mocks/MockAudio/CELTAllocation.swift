/// CELT's bit allocation (RFC 6716 §4.3.3), computed exactly as a decoder computes it.
///
/// Nothing of the allocation is transmitted except a trim, boosts and the skip decision; both
/// sides derive every band's budget from the same integers. If the encoder's result differed by
/// one eighth of a bit, it would code a different number of pulses than the decoder reads and the
/// rest of the frame would decode as noise, so all arithmetic here is integer and in 1/8 bits.
enum CELTAllocation {
    static let fractionBits = 3
    static let fineOffset = 21
    static let maxFineBits = 8
    static let interpolationSteps = 6

    struct Result {
        /// Bits (1/8) for each band's shape (PVQ).
        var shapeBits: [Int]
        /// Fine energy bits per band.
        var fineBits: [Int]
        /// 0: first in line for a final energy bit, 1: second.
        var finePriority: [Int]
        /// Bands up to this one are coded; the rest were skipped.
        var codedBands: Int
        /// Bits over the bands' caps, handed on to the shape quantiser.
        var balance: Int
    }

    /// Band budgets for `total` 1/8 bits; the caller has already coded everything before the
    /// allocation. `frameShift` is LM. Writes the skip flag to `coder`.
    static func compute(total totalIn: Int, trim: Int, frameShift: Int, caps: [Int], coder: inout OpusRangeEncoder) -> Result {
        let bands = CELTTables.bandCount
        let edges = CELTTables.bandEdges
        let lm = frameShift
        var total = max(totalIn, 0)
        let skipReserve = total >= 1 << fractionBits ? 1 << fractionBits : 0
        total -= skipReserve

        var threshold = [Int](repeating: 0, count: bands)
        var trimOffset = [Int](repeating: 0, count: bands)
        for band in 0..<bands {
            let width = edges[band + 1] - edges[band]
            // Below this a band can't get even one pulse, so it gets no PVQ bits at all.
            threshold[band] = max(1 << fractionBits, ((3 * width) << (lm + fractionBits)) >> 4)
            trimOffset[band] = (width * (trim - 5 - lm) * (bands - band - 1) * (1 << (lm + fractionBits))) >> 6
            if width << lm == 1 { trimOffset[band] -= 1 << fractionBits }
        }

        func trimmed(_ bits: Int, _ band: Int) -> Int { bits > 0 ? max(0, bits + trimOffset[band]) : bits }
        func vectorBits(_ row: Int, _ band: Int) -> Int {
            let width = edges[band + 1] - edges[band]
            return trimmed(((width * CELTTables.allocationVectors[row * bands + band]) << lm) >> 2, band)
        }

        // Bisection over the static vectors for the richest one that fits.
        var lo = 1
        var hi = CELTTables.allocationVectorCount - 1
        repeat {
            let mid = (lo + hi) >> 1
            var sum = 0
            var reached = false
            for band in stride(from: bands - 1, through: 0, by: -1) {
                let bits = vectorBits(mid, band)
                if bits >= threshold[band] || reached {
                    reached = true
                    sum += min(bits, caps[band])
                } else if bits >= 1 << fractionBits {
                    sum += 1 << fractionBits
                }
            }
            if sum > total { hi = mid - 1 } else { lo = mid + 1 }
        } while lo <= hi
        hi = lo
        lo -= 1

        var base = [Int](repeating: 0, count: bands)
        var extra = [Int](repeating: 0, count: bands)
        for band in 0..<bands {
            let low = vectorBits(lo, band)
            let high = hi >= CELTTables.allocationVectorCount ? trimmed(caps[band], band) : vectorBits(hi, band)
            base[band] = low
            extra[band] = max(0, high - low)
        }
        return interpolate(
            base: base, extra: extra, threshold: threshold, caps: caps, total: total, skipReserve: skipReserve,
            frameShift: lm, coder: &coder)
    }

    private static func interpolate(
        base: [Int], extra: [Int], threshold: [Int], caps: [Int], total totalIn: Int, skipReserve: Int,
        frameShift lm: Int, coder: inout OpusRangeEncoder
    ) -> Result {
        let bands = CELTTables.bandCount
        let edges = CELTTables.bandEdges
        let floor = 1 << fractionBits
        var total = totalIn

        // Bisection in 1/64 steps between the two neighbouring vectors.
        var lo = 0
        var hi = 1 << interpolationSteps
        for _ in 0..<interpolationSteps {
            let mid = (lo + hi) >> 1
            var sum = 0
            var reached = false
            for band in stride(from: bands - 1, through: 0, by: -1) {
                let bits = base[band] + ((mid * extra[band]) >> interpolationSteps)
                if bits >= threshold[band] || reached {
                    reached = true
                    sum += min(bits, caps[band])
                } else if bits >= floor {
                    sum += floor
                }
            }
            if sum > total { hi = mid } else { lo = mid }
        }
        var bits = [Int](repeating: 0, count: bands)
        var sum = 0
        var reached = false
        for band in stride(from: bands - 1, through: 0, by: -1) {
            var value = base[band] + ((lo * extra[band]) >> interpolationSteps)
            if value < threshold[band] && !reached {
                value = value >= floor ? floor : 0
            } else {
                reached = true
            }
            value = min(value, caps[band])
            bits[band] = value
            sum += value
        }

        // Skipping from the top: a band too poor for the skip flag is dropped silently; the first
        // one that could carry it gets a "keep" flag from us (we never choose to skip).
        var codedBands = bands
        while true {
            let band = codedBands - 1
            if band <= 0 {
                total += skipReserve
                break
            }
            var left = total - sum
            let perBin = left / (edges[codedBands] - edges[0])
            left -= (edges[codedBands] - edges[0]) * perBin
            let remainder = max(left - (edges[band] - edges[0]), 0)
            let width = edges[codedBands] - edges[band]
            let bandBits = bits[band] + perBin * width + remainder
            if bandBits >= max(threshold[band], floor + (1 << fractionBits)) {
                coder.encodeBit(true, logp: 1)
                break
            }
            // Force-skipped: its bits go back to the pool, except one fine energy bit if it can.
            sum -= bits[band]
            if bandBits >= floor {
                sum += floor
                bits[band] = floor
            } else {
                bits[band] = 0
            }
            codedBands -= 1
        }

        // Spread what is left evenly per bin over the coded bands.
        var left = total - sum
        let perBin = left / (edges[codedBands] - edges[0])
        left -= (edges[codedBands] - edges[0]) * perBin
        for band in 0..<codedBands { bits[band] += perBin * (edges[band + 1] - edges[band]) }
        for band in 0..<codedBands {
            let share = min(left, edges[band + 1] - edges[band])
            bits[band] += share
            left -= share
        }

        var fine = [Int](repeating: 0, count: bands)
        var priority = [Int](repeating: 0, count: bands)
        var balance = 0
        var band = 0
        let logM = lm << fractionBits
        while band < codedBands {
            let n = (edges[band + 1] - edges[band]) << lm
            let available = bits[band] + balance
            var excess: Int
            if n > 1 {
                excess = max(available - caps[band], 0)
                bits[band] = available - excess
                let den = n
                let nLogN = den * (CELTTables.logWidth[band] + logM)
                // Fine bits get log2(N)/2 + FINE_OFFSET less than their per-bin share would give.
                var offset = (nLogN >> 1) - den * fineOffset
                if n == 2 { offset += (den << fractionBits) >> 2 }
                if bits[band] + offset < (den * 2) << fractionBits {
                    offset += nLogN >> 2
                } else if bits[band] + offset < (den * 3) << fractionBits {
                    offset += nLogN >> 3
                }
                var energyBits = max(0, bits[band] + offset + (den << (fractionBits - 1)))
                energyBits = (energyBits / den) >> fractionBits
                if energyBits > bits[band] >> fractionBits { energyBits = bits[band] >> fractionBits }
                energyBits = min(energyBits, maxFineBits)
                priority[band] = energyBits * (den << fractionBits) >= bits[band] + offset ? 1 : 0
                bits[band] -= energyBits << fractionBits
                fine[band] = energyBits
            } else {
                excess = max(0, available - (1 << fractionBits))
                bits[band] = available - excess
                fine[band] = 0
                priority[band] = 1
            }
            // Bits over the cap can still refine the energy.
            if excess > 0 {
                let extraFine = min(excess >> fractionBits, maxFineBits - fine[band])
                fine[band] += extraFine
                let extraBits = extraFine << fractionBits
                priority[band] = extraBits >= excess - balance ? 1 : 0
                excess -= extraBits
            }
            balance = excess
            band += 1
        }
        // Skipped bands spend their bits on fine energy only.
        while band < bands {
            fine[band] = bits[band] >> fractionBits
            bits[band] = 0
            priority[band] = fine[band] < 1 ? 1 : 0
            band += 1
        }
        return Result(shapeBits: bits, fineBits: fine, finePriority: priority, codedBands: codedBands, balance: balance)
    }

    /// `cap[]` for LM = 3 mono: the most bits a band can use, in 1/8 bits.
    static func capsLM3Mono() -> [Int] {
        (0..<CELTTables.bandCount).map { band in
            let n = (CELTTables.bandEdges[band + 1] - CELTTables.bandEdges[band]) << 3
            return ((CELTTables.capsLM3Mono[band] + 64) * n) >> 2
        }
    }

    // MARK: Pulse cache

    /// Pulses for pseudo-pulse count `q`: exact up to 8, then 8 steps per octave.
    static func pulses(forPseudo q: Int) -> Int { q < 8 ? q : (8 + (q & 7)) << ((q >> 3) - 1) }

    private static func cacheRow(band: Int, frameShift: Int) -> Int {
        CELTTables.pulseCacheIndex[(frameShift + 1) * CELTTables.bandCount + band]
    }

    /// The pseudo-pulse count whose cost is closest to `bits` (1/8 bits), for a band of width
    /// `width << frameShift` (frameShift may be −1 after splits).
    static func pseudoPulses(band: Int, frameShift: Int, bits: Int) -> Int {
        let row = cacheRow(band: band, frameShift: frameShift)
        let cache = CELTTables.pulseCacheBits
        var lo = 0
        var hi = cache[row]
        let target = bits - 1
        for _ in 0..<6 {
            let mid = (lo + hi + 1) >> 1
            if cache[row + mid] >= target { hi = mid } else { lo = mid }
        }
        let below = lo == 0 ? -1 : cache[row + lo]
        return target - below <= cache[row + hi] - target ? lo : hi
    }

    /// The cost in 1/8 bits of `q` pseudo-pulses.
    static func bits(forPseudo q: Int, band: Int, frameShift: Int) -> Int {
        q == 0 ? 0 : CELTTables.pulseCacheBits[cacheRow(band: band, frameShift: frameShift) + q] + 1
    }

    /// The largest cost a band's row holds; above it (plus margin) the band is split in two.
    static func maxCachedBits(band: Int, frameShift: Int) -> Int {
        let row = cacheRow(band: band, frameShift: frameShift)
        return CELTTables.pulseCacheBits[row + CELTTables.pulseCacheBits[row]]
    }
}
