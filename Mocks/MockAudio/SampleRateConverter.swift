import CSampleRate

/// Band-limited sample-rate conversion with libsamplerate's medium sinc converter (about 120 dB of
/// stop-band rejection: far beyond 16-bit audio, and several times faster than its best one).
///
/// The output has `round(frames · outputRate / inputRate)` frames, so the duration is kept exactly:
/// libsamplerate's own count can be a frame short or long at the end, which `/denoise` (same
/// duration as the input) and the mock speech layout (duration read back from the file) notice.
public struct SampleRateConverter: Sendable {
    /// Input samples per second.
    public let inputRate: Int
    /// Output samples per second.
    public let outputRate: Int

    public init(from inputRate: Int, to outputRate: Int) {
        precondition(inputRate > 0 && outputRate > 0, "sample rates must be positive")
        self.inputRate = inputRate
        self.outputRate = outputRate
    }

    /// Converts interleaved 16-bit `samples` with `channels` channels; throws with libsamplerate's
    /// reason when the ratio is outside what it supports (1/256 … 256).
    public func convert(_ samples: [Int16], channels: Int) throws(AudioFileError) -> [Int16] {
        if inputRate == outputRate || samples.isEmpty { return samples }
        // Checked before the output is allocated, not left to libsamplerate: 1 Hz to 48 kHz
        // allocated (and zeroed) 8 GiB for a second of audio before it refused, for over 30 s.
        guard src_is_valid_ratio(Double(outputRate) / Double(inputRate)) != 0 else {
            throw .resampling(Self.ratioOutOfRange)
        }
        let inputFrames = samples.count / channels
        let outputFrames = Int((Double(inputFrames) * Double(outputRate) / Double(inputRate)).rounded())
        let input = samples.map { Float($0) / 32768 }
        // Room for libsamplerate's rounding, then cut or zero-pad to the exact count.
        var output = [Float](repeating: 0, count: (outputFrames + 16) * channels)
        let status = input.withUnsafeBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                var data = SRC_DATA()
                data.data_in = inputBuffer.baseAddress
                data.data_out = outputBuffer.baseAddress
                data.input_frames = inputFrames
                data.output_frames = outputFrames + 16
                data.src_ratio = Double(outputRate) / Double(inputRate)
                return src_simple(&data, Int32(SRC_SINC_MEDIUM_QUALITY), Int32(channels))
            }
        }
        guard status == 0 else { throw .resampling(String(cString: src_strerror(status))) }
        return output[0..<outputFrames * channels].map { Int16(clamping: Int(($0 * 32768).rounded())) }
    }

    /// libsamplerate's reason for a ratio it does not support (its error 6, `SRC_ERR_BAD_SRC_RATIO`,
    /// which its public header does not name).
    static let ratioOutOfRange = String(cString: src_strerror(6))
}
