/// The packets of an Ogg stream's first logical bitstream (RFC 3533), reassembled across pages, and
/// the granule position of its last page: enough to read codec headers and a duration.
struct OggPacketReader {
    /// Complete packets of the first bitstream, in order; at most `limit` of them.
    private(set) var packets: [[UInt8]] = []
    /// The last granule position set on a page of that bitstream (-1 pages carry none).
    private(set) var lastGranule: Int64?
    /// Bytes read as whole pages (of any bitstream) before the reading ended.
    private(set) var consumedBytes = 0
    /// Whether every byte belonged to a whole page and the last packet was finished: false for a
    /// truncated stream, or a damaged one when checksums are verified.
    private(set) var isComplete = false

    /// Reads `bytes`; a damaged page ends the reading (what came before stays). With
    /// `verifyingChecksums`, a page whose CRC-32 does not match counts as damaged too (decoders that
    /// need every packet want this; probing a header does not pay for it).
    init(_ bytes: [UInt8], limit: Int = 3, verifyingChecksums: Bool = false) {
        var offset = 0
        var serial: UInt32?
        var pending: [UInt8] = []
        while offset + 27 <= bytes.count, bytes[offset..<offset + 4].elementsEqual("OggS".utf8) {
            let segments = Int(bytes[offset + 26])
            let lacingStart = offset + 27
            guard lacingStart + segments <= bytes.count else { break }
            let lacing = bytes[lacingStart..<lacingStart + segments]
            let bodyLength = lacing.reduce(0) { $0 + Int($1) }
            var cursor = lacingStart + segments
            guard cursor + bodyLength <= bytes.count else { break }
            if verifyingChecksums {
                var page = Array(bytes[offset..<cursor + bodyLength])
                let stored = (0..<4).reduce(UInt32(0)) { $0 | UInt32(page[22 + $1]) << UInt32(8 * $1) }
                page.replaceSubrange(22..<26, with: [0, 0, 0, 0])
                guard AudioChecksum.oggCRC32(page) == stored else { break }
            }
            let pageSerial = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + 14 + $1]) << UInt32(8 * $1) }
            if serial == nil { serial = pageSerial }
            if pageSerial == serial {
                let granule = Int64(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + 6 + $1]) << UInt64(8 * $1) })
                if granule >= 0 { lastGranule = granule }
                for length in lacing {
                    if packets.count < limit { pending += bytes[cursor..<cursor + Int(length)] }
                    cursor += Int(length)
                    // A lacing value under 255 ends the packet.
                    if length < 255 {
                        if packets.count < limit { packets.append(pending) }
                        pending = []
                    }
                }
            }
            offset = lacingStart + segments + bodyLength
        }
        consumedBytes = offset
        isComplete = offset == bytes.count && pending.isEmpty
    }
}
