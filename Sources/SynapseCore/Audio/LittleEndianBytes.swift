/// Little-endian integer access on byte arrays, the only byte order RIFF uses.
extension Array where Element == UInt8 {
    /// The `UInt16` at `offset`; the caller has checked the bounds.
    func littleEndianUInt16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    /// The `UInt32` at `offset`; the caller has checked the bounds.
    func littleEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2]) << 16
            | UInt32(self[offset + 3]) << 24
    }

    /// The four ASCII characters at `offset` (a chunk or form identifier).
    func fourCC(at offset: Int) -> String {
        String(decoding: self[offset..<offset + 4], as: UTF8.self)
    }

    mutating func appendLittleEndian(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func appendLittleEndian(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func appendFourCC(_ id: String) {
        precondition(id.utf8.count == 4, "a chunk id has four ASCII characters")
        append(contentsOf: id.utf8)
    }

    /// Overwrites the `UInt32` at `offset` (used to patch RIFF and data sizes).
    mutating func setLittleEndianUInt32(_ value: UInt32, at offset: Int) {
        for index in 0..<4 { self[offset + index] = UInt8(truncatingIfNeeded: value >> UInt32(8 * index)) }
    }
}
