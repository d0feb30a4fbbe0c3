import Foundation

/// Band-limited sample-rate conversion by windowed-sinc interpolation.
///
/// Each output sample at input time `t = n · inRate / outRate` is `Σ x[k] · h(t − k)`, where `h` is a
/// sinc low-pass with cut-off `0.95 · min(1, outRate / inRate)` of the input Nyquist frequency,
/// tapered by a Blackman window spanning ±16 zero crossings. When downsampling, the kernel is
/// stretched, so it is also the anti-aliasing filter. The kernel is tabulated (256 points per zero
/// crossing, linearly interpolated) to keep the cost at a few multiply-adds per tap. The output has
/// `round(frames · outRate / inRate)` frames, so the duration is kept.
public struct Resampler: Sendable {
    /// Input samples per second.
    public let inputRate: Int
    /// Output samples per second.
    public let outputRate: Int

    /// Zero crossings of the sinc kept on each side of the centre.
    static let zeroCrossings = 16
    /// Table points per zero crossing.
    static let tableResolution = 256
    /// Fraction of the narrower Nyquist band that the filter passes.
    static let passFraction = 0.95

    private static let kernelTable: [Double] = {
        let count = zeroCrossings * tableResolution + 2
        return (0..<count).map { index in
            let x = Double(index) / Double(tableResolution)  // in zero crossings
            if x >= Double(zeroCrossings) { return 0 }
            let sinc = x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
            // Blackman window over [-zeroCrossings, zeroCrossings], evaluated at the right half.
            let phase = Double.pi * (x / Double(zeroCrossings) + 1)
            let window = 0.42 - 0.5 * cos(phase) + 0.08 * cos(2 * phase)
            return sinc * window
        }
    }()

    public init(from inputRate: Int, to outputRate: Int) {
        precondition(inputRate > 0 && outputRate > 0, "sample rates must be positive")
        self.inputRate = inputRate
        self.outputRate = outputRate
    }

    /// Converts interleaved 16-bit `samples` with `channels` channels.
    public func resample(_ samples: [Int16], channels: Int) -> [Int16] {
        if inputRate == outputRate { return samples }
        let inputFrames = samples.count / channels
        let outputFrames = Int((Double(inputFrames) * Double(outputRate) / Double(inputRate)).rounded())
        let ratio = Double(inputRate) / Double(outputRate)
        // Cut-off relative to the input Nyquist; below 1 when downsampling.
        let cutoff = Self.passFraction * min(1, Double(outputRate) / Double(inputRate))
        let reach = Double(Self.zeroCrossings) / cutoff  // kernel half-width in input samples
        var output = [Int16](repeating: 0, count: outputFrames * channels)
        var accumulators = [Double](repeating: 0, count: channels)
        for frame in 0..<outputFrames {
            let centre = Double(frame) * ratio
            let first = max(0, Int((centre - reach).rounded(.up)))
            let last = min(inputFrames - 1, Int((centre + reach).rounded(.down)))
            for channel in 0..<channels { accumulators[channel] = 0 }
            if first <= last {
                for index in first...last {
                    let weight = cutoff * Self.kernel(abs(Double(index) - centre) * cutoff)
                    if weight == 0 { continue }
                    let base = index * channels
                    for channel in 0..<channels { accumulators[channel] += weight * Double(samples[base + channel]) }
                }
            }
            for channel in 0..<channels {
                output[frame * channels + channel] = Int16(clamping: Int(accumulators[channel].rounded()))
            }
        }
        return output
    }

    /// The windowed sinc at `x` zero crossings from the centre (linear interpolation in the table).
    private static func kernel(_ x: Double) -> Double {
        let position = x * Double(tableResolution)
        let index = Int(position)
        if index >= zeroCrossings * tableResolution { return 0 }
        let fraction = position - Double(index)
        return kernelTable[index] * (1 - fraction) + kernelTable[index + 1] * fraction
    }
}
