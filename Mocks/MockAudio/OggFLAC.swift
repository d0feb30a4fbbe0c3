/// Ogg FLAC rewritten as native FLAC, which libsndfile reads: its own Ogg FLAC reader (1.2.0)
/// fails with "unknown error in flac decoder" on ffmpeg's files, which the real services read.
///
/// The mapping (xiph.org/flac/ogg_mapping.html) wraps native FLAC's pieces one per packet, so
/// unwrapping them is enough; libFLAC still does all the decoding:
///
/// ```
/// packet 0        0x7F "FLAC" version(2) header-count(2) "fLaC" STREAMINFO block
/// packets 1…n     the other metadata blocks (VORBIS_COMMENT, …)
/// the rest        one FLAC frame each (they start with the frame sync 0xFF 0xF8…)
///        ──►  "fLaC" STREAMINFO other-blocks (last one flagged) frames
/// ```
enum OggFLAC {
    /// The native FLAC file inside `bytes`, or nil when they are not Ogg FLAC.
    static func nativeFLAC(_ bytes: [UInt8]) -> [UInt8]? {
        guard let packets = packets(bytes), let first = packets.first, first.count >= 13 + 4 + 34,
            first.starts(with: [0x7F] + Array("FLAC".utf8)), first[9..<13].elementsEqual("fLaC".utf8)
        else { return nil }
        // The header count may be 0 ("unknown"), so the metadata ends at the first frame instead.
        let frameStart = packets.indices.dropFirst().first { packets[$0].first == 0xFF } ?? packets.endIndex
        var blocks = [Array(first[13...])] + packets[1..<frameStart].filter { !$0.isEmpty }
        for index in blocks.indices {
            // Bit 7 of a block's first byte marks the last metadata block; exactly one may carry it.
            blocks[index][0] = blocks[index][0] & 0x7F | (index == blocks.count - 1 ? 0x80 : 0)
        }
        return Array("fLaC".utf8) + blocks.joined() + packets[frameStart...].joined()
    }

    /// The packets of an Ogg stream, joined across pages by their lacing; nil when `bytes` is not
    /// a run of whole Ogg pages.
    static func packets(_ bytes: [UInt8]) -> [[UInt8]]? {
        var packets: [[UInt8]] = []
        var packet: [UInt8] = []
        var offset = 0
        while offset < bytes.count {
            guard offset + 27 <= bytes.count, bytes[offset..<offset + 4].elementsEqual("OggS".utf8) else { return nil }
            let count = Int(bytes[offset + 26])
            var body = offset + 27 + count
            guard body <= bytes.count else { return nil }
            for segment in bytes[offset + 27..<offset + 27 + count] {
                guard body + Int(segment) <= bytes.count else { return nil }
                packet += bytes[body..<body + Int(segment)]
                body += Int(segment)
                // A segment shorter than 255 bytes ends its packet.
                if segment < 255 {
                    packets.append(packet)
                    packet = []
                }
            }
            offset = body
        }
        return packets
    }
}
