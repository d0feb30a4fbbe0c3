import MockAudio

/// The `output_format: opus` body: an Ogg Opus stream (RFC 7845) carrying the mock speech itself,
/// coded by MockAudio's CELT-only `OpusEncoder` at 64 kbit/s, with the text and voice in the
/// `OpusTags` comments.
///
/// `OpusHead` names the model's 24 kHz as the input rate; the audio is resampled to the 48 kHz Opus
/// always codes, and the last granule position trims the stream to exactly the input's duration.
enum ChatterboxOpusEncoder {
    static let bitrate = 64_000

    /// An Ogg Opus file of `samples` (mono, 16-bit, `inputSampleRate`).
    static func encode(samples: [Int16], inputSampleRate: Int, comments: [(String, String)]) -> [UInt8] {
        let upsampled = Resampler(from: inputSampleRate, to: 48_000).resample(samples, channels: 1)
        let packets = OpusEncoder(channels: 1, bitrate: bitrate).encodePackets(samples48k: upsampled.map { Float($0) / 32768 })
        let writer = OggOpusWriter(serialNumber: 0x5359_4E41, inputSampleRate: inputSampleRate, vendor: "synapse-mock", comments: comments)  // "SYNA"
        return writer.file(packets: packets, sampleCount: upsampled.count)
    }
}
