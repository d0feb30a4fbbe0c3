import Foundation

/// The 32-band polyphase analysis filterbank of MPEG audio (ISO 11172-3, 2.4.3.2), one channel.
///
/// As the standard describes it: shift 32 new samples into a 512-sample FIFO, window it with the
/// standard's C[i] (`MPEGAudioTables.analysisWindow`), fold the 512 products into 64 sums, and
/// matrix them with `cos((2k + 1)(i − 16)π / 64)`. It must be that window and no other design:
/// decoders synthesise with D[i] = 32 · C[i], and only the matching pair keeps the gain flat across
/// subband edges.
struct PolyphaseAnalysis {
    private static let matrix: [[Double]] = (0..<32).map { (band: Int) -> [Double] in
        (0..<64).map { (index: Int) -> Double in
            let angle: Double = Double((2 * band + 1) * (index - 16)) * Double.pi / 64
            return cos(angle)
        }
    }

    /// FIFO of past input, newest at index 0.
    private var fifo = [Double](repeating: 0, count: 512)

    /// Consumes 32 new samples (oldest first, in −1...1) and returns one sample per subband.
    mutating func analyse(_ samples: ArraySlice<Double>) -> [Double] {
        precondition(samples.count == 32, "the filterbank takes 32 samples at a time")
        fifo.replaceSubrange(32..<512, with: fifo[0..<480])
        for (offset, sample) in samples.enumerated() { fifo[31 - offset] = sample }
        let window = MPEGAudioTables.analysisWindow
        var folded = [Double](repeating: 0, count: 64)
        for index in 0..<64 {
            var sum = 0.0
            for block in 0..<8 { sum += window[index + 64 * block] * fifo[index + 64 * block] }
            folded[index] = sum
        }
        return Self.matrix.map { row in
            var sum = 0.0
            for index in 0..<64 { sum += row[index] * folded[index] }
            return sum
        }
    }
}
