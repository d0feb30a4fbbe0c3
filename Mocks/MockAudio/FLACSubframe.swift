/// One channel of one FLAC frame: the cheapest of CONSTANT, VERBATIM and FIXED (orders 0–4).
///
/// FIXED subframes predict each sample from the previous ones with the polynomial predictors of the
/// FLAC format and Rice-code the residual in a single partition (partition order 0).
enum FLACSubframe: Equatable {
    case constant
    case verbatim
    case fixed(order: Int, riceParameter: Int)

    /// Bits per sample the encoder writes (FLAC frames here are always 16-bit).
    static let bitsPerSample = 16
    /// Largest Rice parameter with the 4-bit parameter field (15 is the escape code).
    static let maxRiceParameter = 14

    /// Picks the subframe type that needs the fewest bits for `samples`.
    static func best(for samples: [Int32]) -> FLACSubframe {
        if let first = samples.first, samples.allSatisfy({ $0 == first }) { return .constant }
        var best = FLACSubframe.verbatim
        var bestBits = samples.count * bitsPerSample
        for order in 0...4 where order < samples.count {
            let residual = residuals(samples, order: order)
            let parameter = riceParameter(for: residual)
            let bits = order * bitsPerSample + 6 + riceBits(residual, parameter: parameter)
            if bits < bestBits {
                bestBits = bits
                best = .fixed(order: order, riceParameter: parameter)
            }
        }
        return best
    }

    /// Writes the subframe header and body.
    func write(to writer: inout BitWriter, samples: [Int32]) {
        writer.write(0, bits: 1)  // zero padding bit
        switch self {
        case .constant:
            writer.write(0b000000, bits: 6)
            writer.write(0, bits: 1)  // no wasted bits
            writer.writeSigned(Int(samples[0]), bits: Self.bitsPerSample)
        case .verbatim:
            writer.write(0b000001, bits: 6)
            writer.write(0, bits: 1)
            for sample in samples { writer.writeSigned(Int(sample), bits: Self.bitsPerSample) }
        case .fixed(let order, let parameter):
            writer.write(UInt64(0b001000 | order), bits: 6)
            writer.write(0, bits: 1)
            for sample in samples.prefix(order) { writer.writeSigned(Int(sample), bits: Self.bitsPerSample) }
            writer.write(0b00, bits: 2)  // Rice coding with 4-bit parameters
            writer.write(0, bits: 4)  // partition order 0: one partition
            writer.write(UInt64(parameter), bits: 4)
            for value in Self.residuals(samples, order: order) {
                let folded = Self.zigzag(value)
                writer.writeUnary(Int(folded >> UInt64(parameter)))
                writer.write(folded, bits: parameter)
            }
        }
    }

    /// Prediction residuals of the fixed predictor of `order` (for samples `order...`).
    static func residuals(_ samples: [Int32], order: Int) -> [Int64] {
        var result: [Int64] = []
        result.reserveCapacity(max(0, samples.count - order))
        for index in order..<samples.count {
            let s = { (back: Int) in Int64(samples[index - back]) }
            let prediction: Int64
            switch order {
            case 0: prediction = 0
            case 1: prediction = s(1)
            case 2: prediction = 2 * s(1) - s(2)
            case 3: prediction = 3 * s(1) - 3 * s(2) + s(3)
            default: prediction = 4 * s(1) - 6 * s(2) + 4 * s(3) - s(4)
            }
            result.append(s(0) - prediction)
        }
        return result
    }

    /// Maps signed to unsigned as FLAC's Rice coder does: 0, -1, 1, -2 … → 0, 1, 2, 3 ….
    static func zigzag(_ value: Int64) -> UInt64 {
        value >= 0 ? UInt64(value) << 1 : (UInt64(-(value + 1)) << 1) | 1
    }

    /// The Rice parameter that minimises the coded size, searched next to log2 of the mean folded value
    /// (the optimum for a geometric distribution lies within one of it).
    static func riceParameter(for residual: [Int64]) -> Int {
        guard !residual.isEmpty else { return 0 }
        var sum: UInt64 = 0
        for value in residual { sum &+= zigzag(value) }
        let mean = max(sum / UInt64(residual.count), 1)
        let guess = min(63 - mean.leadingZeroBitCount, maxRiceParameter)
        var best = 0
        var bestBits = Int.max
        for parameter in max(0, guess - 1)...min(maxRiceParameter, guess + 1) {
            let bits = riceBits(residual, parameter: parameter)
            if bits < bestBits {
                bestBits = bits
                best = parameter
            }
        }
        return best
    }

    /// Size in bits of `residual` Rice-coded with `parameter`.
    static func riceBits(_ residual: [Int64], parameter: Int) -> Int {
        var total = 0
        for value in residual { total += Int(zigzag(value) >> UInt64(parameter)) + 1 + parameter }
        return total
    }
}
