/// Writes values most-significant bit first into a byte array, as FLAC and MPEG audio frames need.
public struct BitWriter: Sendable {
    /// The bytes written so far; the last one may be partly filled (low bits zero).
    public private(set) var bytes: [UInt8] = []
    /// Bits used in the last byte (0 means the writer is byte-aligned).
    private var bitsInLastByte = 0

    public init() {}

    /// Total number of bits written.
    public var bitCount: Int { bitsInLastByte == 0 ? bytes.count * 8 : (bytes.count - 1) * 8 + bitsInLastByte }

    /// Whether the next bit starts a new byte.
    public var isByteAligned: Bool { bitsInLastByte == 0 }

    /// Appends the low `count` bits of `value` (0...64), highest first.
    public mutating func write(_ value: UInt64, bits count: Int) {
        precondition(count >= 0 && count <= 64, "bit count out of range")
        var remaining = count
        while remaining > 0 {
            if bitsInLastByte == 0 { bytes.append(0) }
            let free = 8 - bitsInLastByte
            let take = min(free, remaining)
            let shifted = value >> UInt64(remaining - take)
            let chunk = UInt8(truncatingIfNeeded: shifted) & UInt8((1 << take) - 1)
            bytes[bytes.count - 1] |= chunk << UInt8(free - take)
            bitsInLastByte = (bitsInLastByte + take) % 8
            remaining -= take
        }
    }

    /// Appends a signed value in two's complement using `count` bits.
    public mutating func writeSigned(_ value: Int, bits count: Int) {
        write(UInt64(bitPattern: Int64(value)), bits: count)
    }

    /// Appends `count` zero bits followed by a one (unary code, as FLAC's Rice quotients).
    public mutating func writeUnary(_ count: Int) {
        var left = count
        while left >= 32 {
            write(0, bits: 32)
            left -= 32
        }
        write(1, bits: left + 1)
    }

    /// Pads with zero bits up to the next byte boundary.
    public mutating func alignToByte() {
        bitsInLastByte = 0
    }

    /// Appends whole bytes (the writer must be byte-aligned).
    public mutating func append(bytes more: [UInt8]) {
        precondition(isByteAligned, "append(bytes:) needs a byte-aligned writer")
        bytes.append(contentsOf: more)
    }
}
