import Foundation

/// The forward transform of one Vorbis block: window, then MDCT, computed as a DCT-IV of the
/// folded block through an N/4-point complex FFT so long files stay fast even in debug builds.
///
/// Definition: `X[k] = scale · Σ w[n]·x[n]·cos(2π/N · (n + 1/2 + N/4) · (k + 1/2))`, k < N/2, with
/// the Vorbis window `w[n] = sin(π/2 · sin²(π(n + 1/2)/N))`. Decoders apply the unscaled inverse and
/// window again; overlap-adding two such halves gives back `N/4 · x`, so `scale = 4/N` makes the
/// decoded amplitude equal the input's.
struct VorbisMDCT: Sendable {
    /// Block length N (a power of two, at least 16).
    let size: Int
    let window: [Double]
    private let scale: Double
    private let preCos: [Double], preSin: [Double]
    private let postCos: [Double], postSin: [Double]
    private let rootCos: [Double], rootSin: [Double]
    private let bitReversed: [Int]

    init(size: Int) {
        precondition(size >= 16 && size & (size - 1) == 0, "MDCT size must be a power of two")
        self.size = size
        let half = size / 2
        let quarter = size / 4
        window = (0..<size).map { n in
            let inner = sin(Double.pi * (Double(n) + 0.5) / Double(size))
            return sin(Double.pi / 2 * inner * inner)
        }
        scale = 4 / Double(size)
        preCos = (0..<quarter).map { cos(-Double.pi * (Double($0) + 0.25) / Double(half)) }
        preSin = (0..<quarter).map { sin(-Double.pi * (Double($0) + 0.25) / Double(half)) }
        postCos = (0..<quarter).map { cos(-Double.pi * Double($0) / Double(half)) }
        postSin = (0..<quarter).map { sin(-Double.pi * Double($0) / Double(half)) }
        rootCos = (0..<quarter).map { cos(-2 * Double.pi * Double($0) / Double(quarter)) }
        rootSin = (0..<quarter).map { sin(-2 * Double.pi * Double($0) / Double(quarter)) }
        let bits = VorbisCodebook.ilog(quarter - 1)
        bitReversed = (0..<quarter).map { index in
            var reversed = 0
            for bit in 0..<bits where index & (1 << bit) != 0 { reversed |= 1 << (bits - 1 - bit) }
            return reversed
        }
    }

    /// The N/2 coefficients of `block` (N samples, not yet windowed).
    func forward(_ block: [Double]) -> [Double] {
        precondition(block.count == size, "block must hold \(size) samples")
        let half = size / 2
        let quarter = size / 4
        let x = (0..<size).map { block[$0] * window[$0] }
        // Folding turns the N-point MDCT into an N/2-point DCT-IV (time-domain aliasing).
        var folded = [Double](repeating: 0, count: half)
        for n in 0..<quarter { folded[n] = -x[3 * half / 2 - 1 - n] - x[3 * half / 2 + n] }
        for n in quarter..<half { folded[n] = x[n - quarter] - x[3 * half / 2 - 1 - n] }
        // DCT-IV through a complex FFT of half its length: pair even and mirrored odd inputs.
        var re = [Double](repeating: 0, count: quarter)
        var im = [Double](repeating: 0, count: quarter)
        for j in 0..<quarter {
            let a = folded[2 * j]
            let b = folded[half - 1 - 2 * j]
            re[bitReversed[j]] = a * preCos[j] - b * preSin[j]
            im[bitReversed[j]] = a * preSin[j] + b * preCos[j]
        }
        var span = 2
        while span <= quarter {
            let stride = quarter / span
            for start in Swift.stride(from: 0, to: quarter, by: span) {
                for offset in 0..<span / 2 {
                    let wr = rootCos[offset * stride]
                    let wi = rootSin[offset * stride]
                    let top = start + offset
                    let bottom = top + span / 2
                    let tr = re[bottom] * wr - im[bottom] * wi
                    let ti = re[bottom] * wi + im[bottom] * wr
                    re[bottom] = re[top] - tr
                    im[bottom] = im[top] - ti
                    re[top] += tr
                    im[top] += ti
                }
            }
            span *= 2
        }
        var coefficients = [Double](repeating: 0, count: half)
        for j in 0..<quarter {
            let yr = re[j] * postCos[j] - im[j] * postSin[j]
            let yi = re[j] * postSin[j] + im[j] * postCos[j]
            coefficients[2 * j] = yr * scale
            coefficients[half - 1 - 2 * j] = -yi * scale
        }
        return coefficients
    }
}
