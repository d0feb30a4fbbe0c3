import Foundation

/// CELT's forward transform for 20 ms frames (RFC 6716 §4.3.7 describes the inverse): an MDCT of
/// 2·960 points whose window is CELT's low-overlap one — zero for 420 samples, a 120-sample
/// power-complementary rise `sin(π/2 · sin²(π(i + 1/2)/240))`, flat, the mirrored fall, zero again.
/// Only 1080 input samples (120 of overlap with the previous frame plus 960 new) are nonzero.
///
/// Computed as a 960-point DCT-IV of the folded block, by a precomputed cosine table: O(N²), but
/// a handful of milliseconds per frame even unoptimised, which is plenty for a mock.
struct CELTMDCT: Sendable {
    static let frameSize = 960
    static let overlap = 120

    /// Rising half of the overlap window.
    static let window: [Float] = (0..<overlap).map { i in
        let inner = sin(Double.pi * (Double(i) + 0.5) / Double(2 * overlap))
        return Float(sin(Double.pi / 2 * inner * inner))
    }

    /// cos(π/N · (n + 1/2) · (k + 1/2)), row k.
    private static let basis: [Float] = {
        let n = frameSize
        var table = [Float](repeating: 0, count: n * n)
        for k in 0..<n {
            for i in 0..<n {
                // Reduce the phase in integers first: (2i+1)(2k+1) modulo 8N keeps the angle small.
                let phase = ((2 * i + 1) * (2 * k + 1)) % (8 * n)
                table[k * n + i] = Float(cos(Double.pi * Double(phase) / Double(4 * n)))
            }
        }
        return table
    }()

    /// Amplitude convention: the decoder's inverse transform gives back the input with this factor.
    static let scale: Float = 2 / Float(frameSize)

    /// The 960 coefficients of `block` (overlap + frame, 1080 samples, not yet windowed).
    static func forward(_ block: [Float]) -> [Float] {
        let n = frameSize
        precondition(block.count == n + overlap, "block must hold \(n + overlap) samples")
        // The 2N-point windowed input: 420 zeros, block·window, 420 zeros.
        let padding = (n - overlap) / 2
        var x = [Float](repeating: 0, count: 2 * n)
        for i in 0..<block.count {
            var w: Float = 1
            if i < overlap { w = window[i] } else if i >= n { w = window[n + overlap - 1 - i] }
            x[padding + i] = block[i] * w
        }
        // Fold (time-domain aliasing) into N inputs of a DCT-IV.
        var folded = [Float](repeating: 0, count: n)
        for i in 0..<n / 2 { folded[i] = -x[3 * n / 2 - 1 - i] - x[3 * n / 2 + i] }
        for i in n / 2..<n { folded[i] = x[i - n / 2] - x[3 * n / 2 - 1 - i] }
        var output = [Float](repeating: 0, count: n)
        basis.withUnsafeBufferPointer { table in
            folded.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { result in
                    for k in 0..<n {
                        var sum: Float = 0
                        let row = k * n
                        for i in 0..<n { sum += table[row + i] * input[i] }
                        result[k] = sum * scale
                    }
                }
            }
        }
        return output
    }
}
