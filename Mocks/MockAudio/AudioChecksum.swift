/// The CRCs the audio containers need, each computed bytewise from a table built once.
///
/// | name | polynomial | init | used for |
/// | --- | --- | --- | --- |
/// | `crc8` | 0x07 | 0 | FLAC frame header |
/// | `crc16` | 0x8005 | 0 | FLAC whole frame |
/// | `oggCRC32` | 0x04C11DB7 (not reflected) | 0 | Ogg page |
public enum AudioChecksum {
    /// CRC-8 (x^8 + x^2 + x + 1) over `bytes`, as in a FLAC frame header.
    public static func crc8(_ bytes: some Sequence<UInt8>) -> UInt8 {
        var crc: UInt8 = 0
        for byte in bytes { crc = crc8Table[Int(crc ^ byte)] }
        return crc
    }

    /// CRC-16 (x^16 + x^15 + x^2 + 1) over `bytes`, as at the end of a FLAC frame.
    public static func crc16(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes { crc = (crc << 8) ^ crc16Table[Int(UInt8(crc >> 8) ^ byte)] }
        return crc
    }

    /// The Ogg page CRC-32 (polynomial 0x04C11DB7, MSB first, no reflection, no final xor).
    public static func oggCRC32(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0
        for byte in bytes { crc = (crc << 8) ^ crc32Table[Int(UInt8(crc >> 24) ^ byte)] }
        return crc
    }

    private static let crc8Table: [UInt8] = (0..<256).map { index in
        var value = UInt8(index)
        for _ in 0..<8 { value = value & 0x80 != 0 ? (value << 1) ^ 0x07 : value << 1 }
        return value
    }

    private static let crc16Table: [UInt16] = (0..<256).map { index in
        var value = UInt16(index) << 8
        for _ in 0..<8 { value = value & 0x8000 != 0 ? (value << 1) ^ 0x8005 : value << 1 }
        return value
    }

    private static let crc32Table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index) << 24
        for _ in 0..<8 { value = value & 0x8000_0000 != 0 ? (value << 1) ^ 0x04C1_1DB7 : value << 1 }
        return value
    }
}
