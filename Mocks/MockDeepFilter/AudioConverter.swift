import MockAudio
import SynapseCore

/// What `/convert` and `/denoise` do to the samples, without HTTP: format encoding, resampling and
/// the noise gate.
public enum AudioConverter {
    /// Why a conversion failed (the real service's ffmpeg call fails: plain 500).
    public struct Failure: Error, Sendable {}

    /// Most samples a conversion may produce: 100 M (200 MB of 16-bit PCM, over half an hour of
    /// 48 kHz stereo). The rates come from the upload's header, so a 1 MB file claiming 1 Hz
    /// resampled to 655 kHz would otherwise ask for 10¹² samples and end the process.
    public static let maximumOutputSamples = 100_000_000

    /// Whether resampling `wav` to `rate` with `channels` channels stays within `maximumOutputSamples`.
    public static func fits(_ wav: WAVFile, rate: Int, channels: Int) -> Bool {
        Double(wav.frameCount) * Double(rate) / Double(wav.sampleRate) * Double(channels) <= Double(maximumOutputSamples)
    }

    /// `wav` converted to `format` (one of `AudioFormat.conversionOutputs`), resampled to
    /// `sampleRate` when given (libsamplerate), MP3 at `bitrate` kbit/s (default 128).
    public static func convert(_ wav: WAVFile, to format: AudioFormat, sampleRate: Int?, bitrate: Int?) throws(Failure) -> [UInt8] {
        let rate = sampleRate ?? wav.sampleRate
        guard rate > 0, rate <= 655_350 else { throw Failure() }
        var channels = wav.channels
        var samples = wav.samples
        if format == .mp3, channels > 2 {
            // MPEG audio carries at most two channels; fold the rest into mono as ffmpeg's -ac 1 would.
            samples = wav.monoSamples
            channels = 1
        }
        if format == .flac || format == .ogg, channels > 8 { throw Failure() }
        guard fits(wav, rate: rate, channels: channels) else { throw Failure() }
        do {
            samples = try SampleRateConverter(from: wav.sampleRate, to: rate).convert(samples, channels: channels)
            return try AudioEncoder(format: format, sampleRate: rate, channels: channels, bitrate: bitrate ?? 128).encode(samples)
        } catch {
            throw Failure()
        }
    }

    /// The `/denoise` output: mono, 48 kHz (DeepFilterNet's rate), 16-bit, same duration, after a
    /// noise gate.
    ///
    /// The gate: frames of 20 ms whose RMS is below twice the noise floor (the 10th percentile of
    /// frame RMS, at least −50 dBFS) are attenuated by 20 dB; the gain moves linearly across each
    /// frame so there are no clicks. Louder frames pass unchanged.
    public static func denoise(_ wav: WAVFile) throws(Failure) -> [UInt8] {
        let outputRate = 48_000
        var samples: [Int16]
        do {
            samples = try SampleRateConverter(from: wav.sampleRate, to: outputRate).convert(wav.monoSamples, channels: 1)
        } catch {
            throw Failure()
        }
        let frame = outputRate / 50
        let features = AudioFeatures(samples: samples.map { Float($0) / 32768 }, sampleRate: outputRate)
        let levels = features.frameRMS
        if !levels.isEmpty {
            let floor = max(levels.sorted()[levels.count / 10], 0.00316)
            let gains = levels.map { $0 < 2 * floor ? Float(0.1) : Float(1) }
            var previous = gains[0]
            for (index, gain) in gains.enumerated() {
                let start = index * frame
                let end = min(samples.count, start + frame)
                for position in start..<end {
                    let t = Float(position - start) / Float(frame)
                    let applied = previous + (gain - previous) * t
                    samples[position] = Int16(clamping: Int((Float(samples[position]) * applied).rounded()))
                }
                previous = gain
            }
        }
        return WAVFile.encode(samples: samples, channels: 1, sampleRate: outputRate)
    }
}
