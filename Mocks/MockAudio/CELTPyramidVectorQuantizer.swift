import Foundation

/// The shape coder of CELT (RFC 6716 §4.3.4): a band's normalised spectrum is approximated by an
/// integer vector with exactly K unit pulses (sum of magnitudes K), and that vector is sent as its
/// index among all V(N, K) such vectors, a uniform integer.
enum CELTPyramidVectorQuantizer {
    /// Longest band (band 20 at 20 ms) and the most pulses any cache row allows.
    static let maxLength = 176
    static let maxPulses = 128

    /// V(n, k), the number of integer vectors of length n with L1 norm k, saturated far above 2^32
    /// (only counts below 2^32 are ever coded, the pulse cache guarantees that).
    static let codebookSizes: [[UInt64]] = {
        let limit = UInt64(1) << 40
        var table = [[UInt64]](repeating: [UInt64](repeating: 0, count: maxPulses + 1), count: maxLength + 1)
        table[0][0] = 1
        for n in 1...maxLength {
            table[n][0] = 1
            for k in 1...maxPulses {
                // The first coordinate is 0 (rest has norm k), or ±m with m ≥ 1: recursion
                // V(n,k) = V(n−1,k) + V(n,k−1) + V(n−1,k−1).
                table[n][k] = min(limit, table[n - 1][k] + table[n][k - 1] + table[n - 1][k - 1])
            }
        }
        return table
    }()

    /// Pulses `k` placed to maximise the normalised correlation with `x`: a proportional first
    /// guess rounded down, then one pulse at a time where it helps most.
    static func search(_ x: [Float], pulses k: Int) -> [Int] {
        let n = x.count
        let magnitudes = x.map { abs($0) }
        let total = magnitudes.reduce(0, +)
        var y = [Int](repeating: 0, count: n)
        if !(total > 1e-15) {
            // No signal: any vector is as good; one at the start decodes to a unit spike.
            y[0] = k
            return y
        }
        var placed = 0
        var correlation: Float = 0
        var energy: Float = 0
        // Leave a few pulses for the greedy pass so it can fix the rounding.
        let scale = Float(max(0, k - 2)) / total
        if k > 2 {
            for index in 0..<n {
                let count = Int((magnitudes[index] * scale).rounded(.down))
                y[index] = count
                placed += count
                correlation += Float(count) * magnitudes[index]
                energy += Float(count * count)
            }
        }
        while placed < k {
            var best = 0
            var bestScore: Float = -1
            for index in 0..<n {
                let newCorrelation = correlation + magnitudes[index]
                let newEnergy = energy + Float(2 * y[index] + 1)
                let score = newCorrelation * newCorrelation / newEnergy
                if score > bestScore {
                    bestScore = score
                    best = index
                }
            }
            correlation += magnitudes[best]
            energy += Float(2 * y[best] + 1)
            y[best] += 1
            placed += 1
        }
        for index in 0..<n where x[index] < 0 { y[index] = -y[index] }
        return y
    }

    /// The index of `y` among the V(n, k) vectors, in the order the decoder enumerates them:
    /// position by position, non-negative values first, larger magnitudes before smaller ones
    /// within each sign, zero last among the non-negative ones.
    static func index(of y: [Int]) -> (index: UInt64, count: UInt64) {
        let n = y.count
        var k = y.reduce(0) { $0 + abs($1) }
        let count = codebookSizes[n][k]
        var index: UInt64 = 0
        for position in 0..<n {
            let rest = n - position - 1
            let magnitude = abs(y[position])
            // Vectors whose value here has a larger magnitude (same sign) come first.
            var larger: UInt64 = 0
            if magnitude < k {
                for m in (magnitude + 1)...k { larger += codebookSizes[rest][k - m] }
            }
            if y[position] < 0 {
                index += (codebookSizes[rest][k] + codebookSizes[rest + 1][k]) / 2
            }
            index += larger
            k -= magnitude
        }
        return (index, count)
    }

    /// Spreading rotation (RFC 6716 §4.3.4.3): the decoder rotates decoded pulses to smear a few
    /// spikes over neighbouring bins; the encoder applies the opposite rotation first, so it
    /// searches in the domain where the pulses live.
    static func rotate(_ x: inout [Float], pulses k: Int, spread: Int, forward: Bool) {
        let n = x.count
        let factors = [15, 10, 5]
        guard spread > 0, 2 * k < n else { return }
        let gain = Float(n) / Float(n + factors[spread - 1] * k)
        let theta = 0.5 * gain * gain
        let c = cos(0.5 * Float.pi * theta)
        let s = cos(0.5 * Float.pi * (1 - theta))
        var stride2 = 0
        if n >= 8 {
            stride2 = 1
            while (stride2 * stride2 + stride2) < n { stride2 += 1 }
        }
        if forward {
            givensSweeps(&x, stride: 1, c, -s)
            if stride2 > 0 { givensSweeps(&x, stride: stride2, s, -c) }
        } else {
            if stride2 > 0 { givensSweeps(&x, stride: stride2, s, c) }
            givensSweeps(&x, stride: 1, c, s)
        }
    }

    /// Rotates each pair (x[i], x[i + stride]) by the angle (c, s), sweeping up then back down.
    private static func givensSweeps(_ x: inout [Float], stride: Int, _ c: Float, _ s: Float) {
        let n = x.count
        func turn(_ i: Int) {
            let a = x[i]
            let b = x[i + stride]
            x[i + stride] = c * b + s * a
            x[i] = c * a - s * b
        }
        if n - stride > 0 { for i in 0..<(n - stride) { turn(i) } }
        if n - 2 * stride - 1 >= 0 { for i in Swift.stride(from: n - 2 * stride - 1, through: 0, by: -1) { turn(i) } }
    }
}
