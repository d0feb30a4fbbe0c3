/// MSB-first reads from a byte buffer, as MPEG audio packs side info and main data. Reads past the
/// end return zero bits rather than failing: the callers compare `position` against the limits the
/// bitstream itself declares (part2_3_length), which is where a damaged stream shows.
struct LayerIIIBitReader {
    private let bytes: [UInt8]
    /// In bits from the first byte.
    var position: Int

    init(_ bytes: [UInt8], position: Int = 0) {
        // Four bytes of slack let `peek` load a whole word without a bounds test per byte.
        self.bytes = bytes + [0, 0, 0, 0]
        self.position = position
    }

    /// The next `count` (0...24) bits without consuming them.
    @inline(__always)
    func peek(_ count: Int) -> Int {
        let byte = position >> 3
        guard byte + 3 < bytes.count, position >= 0 else { return 0 }
        let word = UInt32(bytes[byte]) << 24 | UInt32(bytes[byte + 1]) << 16 | UInt32(bytes[byte + 2]) << 8 | UInt32(bytes[byte + 3])
        return Int((word << UInt32(position & 7)) >> UInt32(32 - count)) & ((1 << count) - 1)
    }

    @inline(__always)
    mutating func read(_ count: Int) -> Int {
        guard count > 0 else { return 0 }
        if count > 24 {
            let high = read(count - 16)
            return high << 16 | read(16)
        }
        defer { position += count }
        return peek(count)
    }

    mutating func flag() -> Bool { read(1) == 1 }
}
