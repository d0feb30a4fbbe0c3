/// Packs bits the way Vorbis reads them: least-significant bit first, both within each value and
/// within each byte (the opposite of `BitWriter`, which FLAC and MPEG need MSB-first).
public struct VorbisBitWriter: Sendable {
    /// The bytes written so far; unused high bits of the last byte are zero.
    public private(set) var bytes: [UInt8] = []
    /// Bits used in the last byte (0 means the next bit starts a new byte).
    private var bitsInLastByte = 0

    public init() {}

    /// Total number of bits written.
    public var bitCount: Int { bitsInLastByte == 0 ? bytes.count * 8 : (bytes.count - 1) * 8 + bitsInLastByte }

    /// Appends the low `count` bits of `value` (0...64), lowest first.
    public mutating func write(_ value: UInt64, bits count: Int) {
        precondition(count >= 0 && count <= 64, "bit count out of range")
        var remaining = count
        var rest = value
        while remaining > 0 {
            if bitsInLastByte == 0 { bytes.append(0) }
            let take = min(8 - bitsInLastByte, remaining)
            let chunk = UInt8(truncatingIfNeeded: rest) & UInt8(truncatingIfNeeded: (1 << take) - 1)
            bytes[bytes.count - 1] |= chunk << UInt8(bitsInLastByte)
            bitsInLastByte = (bitsInLastByte + take) % 8
            rest = take == 64 ? 0 : rest >> UInt64(take)
            remaining -= take
        }
    }

    /// Appends a non-negative integer in `count` bits.
    public mutating func write(_ value: Int, bits count: Int) {
        precondition(value >= 0 && (count >= 63 || value < 1 << count), "\(value) does not fit in \(count) bits")
        write(UInt64(value), bits: count)
    }

    /// Appends a Huffman codeword. Decoders walk the code tree one bit at a time starting from the
    /// codeword's most significant bit, so it goes out reversed relative to `write`.
    public mutating func writeCodeword(_ codeword: UInt32, length: Int) {
        var reversed: UInt64 = 0
        for index in 0..<length { reversed |= UInt64((codeword >> UInt32(length - 1 - index)) & 1) << UInt64(index) }
        write(reversed, bits: length)
    }

    /// Appends whole bytes one at a time (strings in the headers need not start byte-aligned).
    public mutating func write(bytes more: [UInt8]) {
        for byte in more { write(UInt64(byte), bits: 8) }
    }
}
