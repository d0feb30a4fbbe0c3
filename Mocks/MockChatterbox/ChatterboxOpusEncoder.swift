import MockAudio

/// The `output_format: opus` body: a valid Ogg Opus stream (RFC 7845) of the right length, whose
/// packets are Opus *silence* frames, with the text and voice in the `OpusTags` comments.
///
/// Writing a real Opus (CELT/SILK) encoder is out of scope for a mock; what clients check — the
/// container, `OpusHead` (24 kHz input rate, mono) and the duration from the granule position —
/// is real. Each 20 ms packet is TOC `0xF8` (CELT, full band, 20 ms, mono, one frame) followed by
/// `0xFF 0xFE`, the range-coded "silence" flag, which every decoder turns into 960 zero samples.
enum ChatterboxOpusEncoder {
    /// Samples at 48 kHz skipped at the start, the value libopus reports for its encoder.
    static let preSkip = 312
    private static let silencePacket: [UInt8] = [0xF8, 0xFF, 0xFE]

    /// An Ogg Opus file lasting `duration` seconds.
    static func encode(duration: Double, inputSampleRate: Int, comments: [(String, String)]) -> [UInt8] {
        var writer = OggStreamWriter(serialNumber: 0x5359_4E41)  // "SYNA"
        writer.addPacket(head(inputSampleRate: inputSampleRate), granulePosition: 0, flush: true)
        writer.addPacket(tags(comments), granulePosition: 0, flush: true)
        let frames = max(1, Int((duration / 0.02).rounded(.up)))
        let total = Int64(preSkip) + Int64((duration * 48_000).rounded())
        for frame in 1...frames {
            // The last granule position trims the final frame to the exact duration.
            let granule = frame == frames ? total : Int64(preSkip + frame * 960)
            writer.addPacket(silencePacket, granulePosition: granule)
        }
        return writer.finish()
    }

    /// `OpusHead`: version 1, mono, pre-skip, original input rate, gain 0, mapping family 0.
    private static func head(inputSampleRate: Int) -> [UInt8] {
        var packet = Array("OpusHead".utf8) + [1, 1]
        packet += [UInt8(preSkip & 0xFF), UInt8(preSkip >> 8)]
        packet += (0..<4).map { UInt8((inputSampleRate >> (8 * $0)) & 0xFF) }
        packet += [0, 0, 0]
        return packet
    }

    /// `OpusTags`: vendor string and `KEY=value` comments.
    private static func tags(_ comments: [(String, String)]) -> [UInt8] {
        func field(_ text: String) -> [UInt8] {
            let bytes = Array(text.utf8)
            return (0..<4).map { UInt8((bytes.count >> (8 * $0)) & 0xFF) } + bytes
        }
        var packet = Array("OpusTags".utf8) + field("synapse-mock")
        packet += (0..<4).map { UInt8((comments.count >> (8 * $0)) & 0xFF) }
        for (key, value) in comments { packet += field("\(key)=\(value)") }
        return packet
    }
}
