import Foundation

/// The one floor of the stream: a Vorbis floor type 1, a piecewise-linear spectral envelope in
/// the dB domain, fitted per block and channel.
///
/// Posts sit at fixed bins (denser at low frequencies, then every 32 bins); each post's level is
/// the largest coefficient magnitude between its two neighbouring posts divided by
/// `resolution`, rounded up to the next 1.1 dB step. Because the line between two posts never
/// drops below the lower one, every coefficient in that span is at most `resolution` times the
/// floor, which bounds the residue values the codebooks must cover.
struct VorbisFloor: Sendable {
    /// Floor values are stored in steps of two table entries (about 1.1 dB), range 0...127.
    static let multiplier = 2
    static let range = 128
    static let rangeBits = 10
    /// Posts read per partition (the single partition class's dimension).
    static let postsPerPartition = 2

    /// Spectral lines covered (N/2 for the block size).
    let binCount: Int
    /// Post positions in header order: 0, `binCount`, then the others coarse to fine so each new
    /// post is predicted from posts on either side of it.
    let positions: [Int]
    private let lowNeighbor: [Int]
    private let highNeighbor: [Int]
    /// Header indices of the posts, by increasing position.
    private let byPosition: [Int]

    /// The spec's floor1_inverse_dB_table: 256 steps spanning 1.0649863e-7 … 1.0 geometrically
    /// (about 0.547 dB each). Computed from its first value; matches the published table to
    /// float precision.
    static let inverseDBTable: [Double] = (0..<256).map { pow(1.0649863e-07, Double(255 - $0) / 255) }

    init(binCount: Int = 1024) {
        precondition(binCount == 1 << Self.rangeBits, "posts are laid out for 1024 spectral lines")
        self.binCount = binCount
        var interior = [1, 2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256]
        interior += Array(stride(from: 288, to: binCount, by: 32))
        precondition(interior.count % Self.postsPerPartition == 0, "posts must fill whole partitions")
        let sorted = [0] + interior + [binCount]
        var order: [Int] = []
        var spans = [(0, sorted.count - 1)]
        var next = 0
        while next < spans.count {
            let (low, high) = spans[next]
            next += 1
            guard high - low >= 2 else { continue }
            let middle = (low + high) / 2
            order.append(sorted[middle])
            spans.append((low, middle))
            spans.append((middle, high))
        }
        let positions = [0, binCount] + order
        self.positions = positions
        var low = Array(repeating: 0, count: positions.count)
        var high = Array(repeating: 1, count: positions.count)
        for index in 2..<positions.count {
            // The spec's low_neighbor / high_neighbor: closest earlier posts below and above.
            for earlier in 0..<index {
                if positions[earlier] < positions[index], positions[earlier] > positions[low[index]] { low[index] = earlier }
                if positions[earlier] > positions[index], positions[earlier] < positions[high[index]] { high[index] = earlier }
            }
        }
        lowNeighbor = low
        highNeighbor = high
        byPosition = positions.indices.sorted { positions[$0] < positions[$1] }
    }

    var partitions: Int { (positions.count - 2) / Self.postsPerPartition }

    /// What one channel's floor writes (after the nonzero flag) and the curve a decoder renders.
    struct Fit {
        /// Y[0] and Y[1] raw, then one codebook value per further post, in header order.
        var codes: [Int]
        /// Linear amplitude per spectral line.
        var curve: [Double]
    }

    /// Fits the floor to `coefficients`; levels never go below `minimum` (linear amplitude).
    func fit(_ coefficients: [Double], resolution: Double, minimum: Double) -> Fit {
        var target = Array(repeating: 0, count: positions.count)
        for (rank, post) in byPosition.enumerated() {
            let from = rank == 0 ? 0 : positions[byPosition[rank - 1]]
            let to = rank == byPosition.count - 1 ? binCount : positions[byPosition[rank + 1]]
            var peak = 0.0
            for bin in from..<min(to, binCount) { peak = max(peak, abs(coefficients[bin])) }
            target[post] = Self.level(atLeast: max(peak / resolution, minimum))
        }
        var finalY = target
        var drawn = Array(repeating: false, count: positions.count)
        drawn[0] = true
        drawn[1] = true
        var codes = [target[0], target[1]]
        for index in 2..<positions.count {
            let low = lowNeighbor[index]
            let high = highNeighbor[index]
            let predicted = Self.renderPoint(positions[low], finalY[low], positions[high], finalY[high], positions[index])
            let value = Self.code(for: target[index], predicted: predicted)
            codes.append(value)
            // Mirror the decoder exactly (spec §7.2.4 step 1) so the curve below is what it renders.
            let highRoom = Self.range - predicted
            let lowRoom = predicted
            let room = highRoom < lowRoom ? highRoom * 2 : lowRoom * 2
            if value == 0 {
                finalY[index] = predicted
            } else {
                drawn[low] = true
                drawn[high] = true
                drawn[index] = true
                if value >= room {
                    finalY[index] = highRoom > lowRoom ? value - lowRoom + predicted : predicted - value + highRoom - 1
                } else {
                    finalY[index] = value % 2 == 1 ? predicted - (value + 1) / 2 : predicted + value / 2
                }
            }
            assert(value == 0 || finalY[index] == target[index], "floor value coding is not invertible")
        }
        return Fit(codes: codes, curve: render(finalY, drawn: drawn))
    }

    /// The smallest stored level whose amplitude is at least `amplitude`.
    static func level(atLeast amplitude: Double) -> Int {
        let step = -log(1.0649863e-07) / 255
        let index = 255 + log(amplitude) / step
        let level = Int((index / Double(multiplier) - 1e-9).rounded(.up))
        return min(max(level, 0), range - 1)
    }

    /// The code that makes the decoder land on `target` given its prediction: small moves
    /// alternate down/up (odd/even), moves beyond the smaller room are coded as offsets.
    static func code(for target: Int, predicted: Int) -> Int {
        let delta = target - predicted
        if delta == 0 { return 0 }
        let highRoom = range - predicted
        let lowRoom = predicted
        let room = highRoom < lowRoom ? highRoom * 2 : lowRoom * 2
        let alternating = delta > 0 ? 2 * delta : -2 * delta - 1
        if alternating < room { return alternating }
        return highRoom > lowRoom ? delta + lowRoom : -delta + highRoom - 1
    }

    /// The spec's render_point: the integer line from (x0, y0) to (x1, y1) evaluated at x.
    static func renderPoint(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ x: Int) -> Int {
        let dy = y1 - y0
        let offset = abs(dy) * (x - x0) / (x1 - x0)
        return dy < 0 ? y0 - offset : y0 + offset
    }

    /// The decoder's curve synthesis (spec §7.2.4 step 2): integer lines between the drawn posts
    /// in position order, in table-index units, then looked up in the inverse dB table.
    private func render(_ finalY: [Int], drawn: [Bool]) -> [Double] {
        var indices = Array(repeating: 0, count: binCount)
        var lastX = 0
        var lastY = finalY[byPosition[0]] * Self.multiplier
        for post in byPosition.dropFirst() where drawn[post] {
            let x = positions[post]
            let y = finalY[post] * Self.multiplier
            Self.renderLine(lastX, lastY, x, y, into: &indices)
            lastX = x
            lastY = y
        }
        for bin in lastX..<binCount { indices[bin] = lastY }
        return indices.map { Self.inverseDBTable[$0] }
    }

    /// The spec's render_line (Bresenham-style; the end point itself is left to the next segment).
    static func renderLine(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, into values: inout [Int]) {
        let dy = y1 - y0
        let adx = x1 - x0
        let base = dy / adx
        let step = dy < 0 ? base - 1 : base + 1
        let ady = abs(dy) - abs(base) * adx
        var y = y0
        var error = 0
        if x0 < values.count { values[x0] = y }
        var x = x0 + 1
        while x < x1 {
            error += ady
            if error >= adx {
                error -= adx
                y += step
            } else {
                y += base
            }
            if x < values.count { values[x] = y }
            x += 1
        }
    }
}
