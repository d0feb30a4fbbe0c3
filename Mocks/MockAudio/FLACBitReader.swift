/// Reads a FLAC frame most-significant bit first.
///
/// Bits come from a 64-bit cache, left-aligned, refilled a byte at a time: a frame holds millions of
/// short fields (Rice codes are often 3–8 bits), and fetching each from the byte array would cost far
/// more than the shifts. The reader borrows the caller's buffer, so it must not outlive the
/// `withUnsafeBufferPointer` it was made in.
struct FLACBitReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// Index of the next byte to move into the cache.
    private var next: Int
    /// Unread bits, the oldest in bit 63; bits below the valid ones are always zero.
    private var cache: UInt64 = 0
    /// How many of the cache's bits are valid.
    private var cached = 0

    /// The longest field `read` accepts: after a refill the cache holds at least 57 bits.
    static let maxFieldWidth = 56

    init(_ bytes: UnsafeBufferPointer<UInt8>, offset: Int = 0) {
        self.bytes = bytes
        next = offset
    }

    /// Offset in the buffer of the byte holding the next unread bit (exact when byte-aligned).
    var byteOffset: Int { next - cached >> 3 }

    /// Skips the bits left in the current byte (frames pad with zeros before their CRC-16).
    mutating func alignToByte() {
        let partial = cached & 7
        cache = cache &<< UInt64(partial)
        cached -= partial
    }

    private mutating func refill() {
        while cached <= 56, next < bytes.count {
            cache |= UInt64(bytes[next]) &<< UInt64(56 - cached)
            cached += 8
            next += 1
        }
    }

    /// An unsigned field of `count` bits (0...56).
    mutating func read(_ count: Int) throws(FLACDecoder.Failure) -> UInt64 {
        if count == 0 { return 0 }
        if cached < count {
            refill()
            guard cached >= count else { throw .truncated }
        }
        let value = cache &>> UInt64(64 - count)
        cache = cache &<< UInt64(count)
        cached -= count
        return value
    }

    /// A two's-complement field of `count` bits (0...56), sign-extended.
    mutating func readSigned(_ count: Int) throws(FLACDecoder.Failure) -> Int64 {
        if count == 0 { return 0 }
        let raw = try read(count)
        let unused = UInt64(64 - count)
        return Int64(bitPattern: raw &<< unused) &>> unused
    }

    /// The number of zero bits before the next one bit (the one is consumed too).
    mutating func readUnary() throws(FLACDecoder.Failure) -> Int {
        var zeros = 0
        while cache == 0 {
            zeros += cached
            cached = 0
            refill()
            guard cached > 0 else { throw .truncated }
        }
        let leading = cache.leadingZeroBitCount
        // Zeros below the valid bits keep `leading` inside them, so this never consumes invalid bits.
        cache = leading == 63 ? 0 : cache &<< UInt64(leading + 1)
        cached -= leading + 1
        return zeros + leading
    }

    /// `count` Rice codes with `parameter` (0...30), unfolded to signed residuals into `out`.
    ///
    /// This is where a decoder spends most of its time, so the cache lives in locals for the loop
    /// (a debug build would otherwise go through `self` for every field).
    mutating func readRice(into out: UnsafeMutablePointer<Int64>, count: Int, parameter: Int) throws(FLACDecoder.Failure) {
        var cache = self.cache
        var cached = self.cached
        var next = self.next
        let bytes = self.bytes
        let end = bytes.count
        let remainderShift = UInt64(64 - parameter)
        for index in 0..<count {
            var quotient = 0
            while cache == 0 {
                quotient += cached
                cached = 0
                while cached <= 56, next < end {
                    cache |= UInt64(bytes[next]) &<< UInt64(56 - cached)
                    cached += 8
                    next += 1
                }
                guard cached > 0 else { throw .truncated }
            }
            let leading = cache.leadingZeroBitCount
            quotient += leading
            cache = leading == 63 ? 0 : cache &<< UInt64(leading + 1)
            cached -= leading + 1
            var remainder: UInt64 = 0
            if parameter > 0 {
                if cached < parameter {
                    while cached <= 56, next < end {
                        cache |= UInt64(bytes[next]) &<< UInt64(56 - cached)
                        cached += 8
                        next += 1
                    }
                    guard cached >= parameter else { throw .truncated }
                }
                remainder = cache &>> remainderShift
                cache = cache &<< UInt64(parameter)
                cached -= parameter
            }
            // Residuals of valid streams fit in 32 bits (folded: 33); a longer quotient is damage,
            // and refusing it keeps the shift below from overflowing.
            guard quotient <= Int(UInt32.max) else { throw FLACDecoder.Failure("Rice code with an impossibly long quotient (\(quotient))") }
            let folded = UInt64(quotient) &<< UInt64(parameter) | remainder
            out[index] = Int64(bitPattern: folded &>> 1) ^ (0 &- Int64(bitPattern: folded & 1))
        }
        self.cache = cache
        self.cached = cached
        self.next = next
    }
}
