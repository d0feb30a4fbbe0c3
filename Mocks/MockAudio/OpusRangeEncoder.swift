/// The range encoder of RFC 6716 §5.1 (the encoder side of §4.1), with raw bits packed from the end
/// of the frame backwards (§4.1.4).
///
/// CELT decides how many bits each band may spend from `tell` / `tellFrac`, which a decoder evaluates
/// on its own state; both sides see the same `rng` and bit count after every symbol, so the encoder's
/// values match the decoder's exactly. That is why the bookkeeping below follows the RFC to the bit.
struct OpusRangeEncoder {
    /// Frame size in bytes: range-coded bytes grow from the front, raw bits from the back.
    let capacity: Int
    private var low: UInt32 = 0
    private(set) var range: UInt32 = 1 << 31
    /// The byte held back until it is known whether a carry propagates into it (-1: none yet).
    private var pending = -1
    /// 0xFF bytes waiting behind `pending` for the same reason.
    private var carryRun = 0
    private var front: [UInt8] = []
    private var back: [UInt8] = []
    private var backWindow: UInt32 = 0
    private var backBits = 0
    /// Bits counted the way the decoder counts them (RFC 6716 §4.1.6).
    private var totalBits = 33

    init(capacity: Int) {
        self.capacity = capacity
        front.reserveCapacity(capacity)
    }

    /// Whole bits used so far, rounded up.
    var tell: Int { totalBits - Self.ilog(range) }

    /// Bits used so far in 1/8 bit units, rounded up (RFC 6716 §4.1.6.2).
    var tellFrac: Int {
        let whole = totalBits << 3
        var log = Self.ilog(range)
        var r = range >> UInt32(log - 16)
        for _ in 0..<3 {
            r = (r &* r) >> 15
            let bit = Int(r >> 16)
            log = log << 1 | bit
            r >>= UInt32(bit)
        }
        return whole - log
    }

    /// Number of significant bits of `value` (0 for 0).
    static func ilog(_ value: UInt32) -> Int { value == 0 ? 0 : 32 - value.leadingZeroBitCount }

    /// Codes the interval `[low, high)` of a total `total`.
    mutating func encode(_ lowCount: UInt32, _ highCount: UInt32, total: UInt32) {
        let r = range / total
        if lowCount > 0 {
            low &+= range &- r &* (total - lowCount)
            range = r &* (highCount - lowCount)
        } else {
            range &-= r &* (total - highCount)
        }
        normalize()
    }

    /// `encode` with a power-of-two total, `1 << bits`.
    mutating func encodeBin(_ lowCount: UInt32, _ highCount: UInt32, bits: Int) {
        let r = range >> UInt32(bits)
        if lowCount > 0 {
            low &+= range &- r &* ((1 << UInt32(bits)) - lowCount)
            range = r &* (highCount - lowCount)
        } else {
            range &-= r &* ((1 << UInt32(bits)) - highCount)
        }
        normalize()
    }

    /// A binary symbol whose "true" value has probability `1 / 2^logp`.
    mutating func encodeBit(_ bit: Bool, logp: Int) {
        let r = range >> UInt32(logp)
        let rest = range - r
        if bit {
            low &+= rest
            range = r
        } else {
            range = rest
        }
        normalize()
    }

    /// Symbol `symbol` of an inverse cumulative table whose total is `1 << bits`.
    mutating func encodeICDF(_ symbol: Int, _ icdf: [UInt8], bits: Int) {
        let r = range >> UInt32(bits)
        if symbol > 0 {
            low &+= range &- r &* UInt32(icdf[symbol - 1])
            range = r &* UInt32(icdf[symbol - 1] - icdf[symbol])
        } else {
            range &-= r &* UInt32(icdf[symbol])
        }
        normalize()
    }

    /// A uniformly distributed integer in `0..<total` (total up to 2^32): the top 8 bits are range
    /// coded, the rest go out as raw bits.
    mutating func encodeUniform(_ value: UInt32, total: UInt64) {
        let top = UInt32(total - 1)
        let bits = Self.ilog(top)
        if bits > 8 {
            let shift = bits - 8
            let head = value >> UInt32(shift)
            encode(head, head + 1, total: (top >> UInt32(shift)) + 1)
            encodeRawBits(value & ((1 << UInt32(shift)) - 1), count: shift)
        } else {
            encode(value, value + 1, total: top + 1)
        }
    }

    /// `count` raw bits (at most 25 at once), stored from the end of the frame.
    mutating func encodeRawBits(_ value: UInt32, count: Int) {
        guard count > 0 else { return }
        backWindow |= value << UInt32(backBits)
        backBits += count
        while backBits >= 8 {
            back.append(UInt8(truncatingIfNeeded: backWindow))
            backWindow >>= 8
            backBits -= 8
        }
        totalBits += count
    }

    private mutating func normalize() {
        while range <= 1 << 23 {
            emit(Int(low >> 23))
            low = (low << 8) & 0x7FFF_FFFF
            range <<= 8
            totalBits += 8
        }
    }

    /// One 9-bit output value (8 bits plus a possible carry) through the carry-propagation buffer.
    private mutating func emit(_ value: Int) {
        if value == 0xFF {
            carryRun += 1
            return
        }
        let carry = value >> 8
        if pending >= 0 { front.append(UInt8(truncatingIfNeeded: pending + carry)) }
        if carryRun > 0 {
            let filler = UInt8(truncatingIfNeeded: 0xFF + carry)
            front.append(contentsOf: repeatElement(filler, count: carryRun))
            carryRun = 0
        }
        pending = value & 0xFF
    }

    /// Flushes the coder and returns exactly `capacity` bytes: the fewest range-coder bytes that pin
    /// the final interval (the decoder reads zeros past them), zeros, then the raw bits reversed.
    mutating func finish() -> [UInt8] {
        // Pick the value in [low, low + range) with the most trailing zero bits.
        var shift = 32 - Self.ilog(range)
        var mask: UInt32 = 0x7FFF_FFFF >> UInt32(shift)
        var end = (low &+ mask) & ~mask
        if UInt64(end | mask) >= UInt64(low) + UInt64(range) {
            shift += 1
            mask >>= 1
            end = (low &+ mask) & ~mask
        }
        while shift > 0 {
            emit(Int(end >> 23))
            end = (end << 8) & 0x7FFF_FFFF
            shift -= 8
        }
        if pending >= 0 || carryRun > 0 { emit(0) }
        var tail = back
        if backBits > 0 { tail.append(UInt8(truncatingIfNeeded: backWindow)) }
        // A partial raw-bit byte may share the last range-coder byte: its bits sit at the bottom,
        // the coder's at the top (tell guarantees the two never collide).
        precondition(front.count + back.count <= capacity, "CELT frame overflow: \(front.count) + \(back.count) > \(capacity)")
        var frame = [UInt8](repeating: 0, count: capacity)
        for (index, byte) in front.enumerated() where index < capacity { frame[index] = byte }
        for (index, byte) in tail.enumerated() { frame[capacity - 1 - index] |= byte }
        return frame
    }
}
