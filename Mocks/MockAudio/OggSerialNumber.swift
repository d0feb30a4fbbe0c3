/// Gives every page of an Ogg file one fixed stream serial number.
///
/// libsndfile seeds each new Ogg stream's serial number from the clock, so two identical Opus or
/// Vorbis answers would differ in 4 bytes per page (and in the page CRCs). The mocks promise the
/// same bytes for the same request, so the encoder rewrites the serial and recomputes each CRC.
///
/// ```
/// page: "OggS" version type granule(8) serial(4) sequence(4) crc(4) count segments[count] body
///        0     4       5    6          14        18          22     26    27
/// ```
enum OggSerialNumber {
    /// "SYNA": the serial every mock Ogg stream carries.
    static let mock: UInt32 = 0x5359_4E41

    /// `file` with every page's serial set to `serial`; a file that is not a clean run of Ogg
    /// pages is returned unchanged.
    static func replacing(in file: [UInt8], with serial: UInt32) -> [UInt8] {
        var bytes = file
        var offset = 0
        while offset < bytes.count {
            guard offset + 27 <= bytes.count, bytes[offset..<offset + 4].elementsEqual("OggS".utf8) else { return file }
            let count = Int(bytes[offset + 26])
            guard offset + 27 + count <= bytes.count else { return file }
            let bodySize = bytes[offset + 27..<offset + 27 + count].reduce(0) { $0 + Int($1) }
            let end = offset + 27 + count + bodySize
            guard end <= bytes.count else { return file }
            for index in 0..<4 {
                bytes[offset + 14 + index] = UInt8(truncatingIfNeeded: serial >> (8 * index))
                bytes[offset + 22 + index] = 0
            }
            let crc = checksum(bytes[offset..<end])
            for index in 0..<4 { bytes[offset + 22 + index] = UInt8(truncatingIfNeeded: crc >> (8 * index)) }
            offset = end
        }
        return bytes
    }

    /// The Ogg page CRC-32: polynomial 0x04C11DB7, MSB first, initial value 0, no final xor.
    private static func checksum(_ page: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0
        for byte in page { crc = (crc << 8) ^ table[Int(UInt8(crc >> 24) ^ byte)] }
        return crc
    }

    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index) << 24
        for _ in 0..<8 { value = value & 0x8000_0000 != 0 ? (value << 1) ^ 0x04C1_1DB7 : value << 1 }
        return value
    }
}
