import CSndFile
import SynapseCore

/// Writes 16-bit PCM as a complete file in any `AudioFormat`, through libsndfile (LAME for MP3,
/// libvorbis, libopus, libFLAC underneath).
///
/// | format | written as | rate | bitrate |
/// | --- | --- | --- | --- |
/// | wav | RIFF/WAVE, 16-bit PCM | any | — |
/// | flac | native FLAC, 16-bit | any | — |
/// | ogg | Ogg Vorbis | any | library default (quality 0.4) |
/// | opus | Ogg Opus, 20 ms packets | resampled up to 8, 12, 16, 24 or 48 kHz | library default |
/// | mp3 | MPEG-1/2/2.5 Layer III, constant bitrate, LAME's gapless Info frame | 8 … 48 kHz, as MPEG defines them | `bitrate` kbit/s |
public struct AudioEncoder: Sendable {
    public var format: AudioFormat
    /// Rate of the samples given to `encode`, in Hz.
    public var sampleRate: Int
    public var channels: Int
    /// MP3 bitrate in kbit/s, rounded by LAME to the nearest one MPEG defines. Default 128.
    public var bitrate: Int

    public init(format: AudioFormat, sampleRate: Int, channels: Int = 1, bitrate: Int = 128) {
        self.format = format
        self.sampleRate = sampleRate
        self.channels = channels
        self.bitrate = bitrate
    }

    /// The rates libopus codes at; anything else is resampled up to the next one first.
    static let opusRates = [8_000, 12_000, 16_000, 24_000, 48_000]

    /// `samples` (interleaved) as a file, with `tags` in the container's own tag format.
    public func encode(_ samples: [Int16], tags: AudioTags = AudioTags()) throws(AudioFileError) -> [UInt8] {
        var rate = sampleRate
        var pcm = samples
        if format == .opus, !Self.opusRates.contains(rate) {
            rate = Self.opusRates.first { $0 >= sampleRate } ?? 48_000
            pcm = try SampleRateConverter(from: sampleRate, to: rate).convert(samples, channels: channels)
        }
        var info = SF_INFO()
        info.samplerate = Int32(clamping: rate)
        info.channels = Int32(clamping: channels)
        info.format = Int32(Self.libraryFormat(format))
        let file = try SoundFile(writing: info)
        for field in AudioTags.fields {
            if let value = tags[keyPath: field.path] { try file.setString(field.type, value) }
        }
        if format == .mp3 {
            // libsndfile starts LAME in VBR mode, where the level is a quality; switching to
            // constant bitrate afterwards makes it re-read the level as a bitrate (and it refuses
            // the switch while no level is set, hence this order).
            try file.command(SFC_SET_COMPRESSION_LEVEL, Self.compressionLevel(kilobits: bitrate, sampleRate: rate))
            try file.command(SFC_SET_BITRATE_MODE, SF_BITRATE_MODE_CONSTANT)
        }
        if format == .opus, rate != sampleRate {
            // OpusHead keeps the caller's rate, as opusenc does, so a reader knows what came in.
            try file.command(SFC_SET_ORIGINAL_SAMPLERATE, sampleRate)
        }
        if !pcm.isEmpty { try file.write(pcm.map { Float($0) / 32768 }) }
        let bytes = try file.finish()
        return format == .ogg || format == .opus ? OggSerialNumber.replacing(in: bytes, with: OggSerialNumber.mock) : bytes
    }

    /// libsndfile's major | minor format code.
    static func libraryFormat(_ format: AudioFormat) -> Int {
        switch format {
        case .wav: SF_FORMAT_WAV | SF_FORMAT_PCM_16
        case .flac: SF_FORMAT_FLAC | SF_FORMAT_PCM_16
        case .ogg: SF_FORMAT_OGG | SF_FORMAT_VORBIS
        case .opus: SF_FORMAT_OGG | SF_FORMAT_OPUS
        case .mp3: SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III
        }
    }

    /// The `SFC_SET_COMPRESSION_LEVEL` that makes libsndfile ask LAME for `kilobits`.
    ///
    /// libsndfile maps level 0…1 linearly onto the bitrates of the MPEG version the rate implies,
    /// highest first, and truncates to an integer:
    ///
    /// | rate | MPEG version | level 0 … 1 |
    /// | --- | --- | --- |
    /// | ≥ 32 kHz | 1 | 320 … 32 kbit/s |
    /// | 16 – 24 kHz | 2 | 160 … 8 kbit/s |
    /// | < 16 kHz | 2.5 | 64 … 8 kbit/s |
    ///
    /// So 128 kbit/s at 24 kHz is level (160 − 128) / 152. A hair less keeps the truncation from
    /// landing one below (127.9999 → 127), and requests outside the range are clamped to it.
    static func compressionLevel(kilobits: Int, sampleRate: Int) -> Double {
        let (lowest, highest): (Double, Double) = sampleRate >= 32_000 ? (32, 320) : sampleRate >= 16_000 ? (8, 160) : (8, 64)
        let level = (highest - Double(kilobits)) / (highest - lowest) - 1e-9
        return min(1, max(0, level))
    }
}
