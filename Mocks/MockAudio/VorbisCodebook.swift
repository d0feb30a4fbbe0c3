/// One codebook of the Vorbis setup header: a complete prefix code over its entries and, for the
/// books residues use, a lookup-type-1 lattice that maps each entry to a vector of small integers.
///
/// Lengths come from a Huffman construction over model weights, so every tree is exactly full:
/// libvorbis rejects under-populated trees and every decoder rejects over-populated ones.
struct VorbisCodebook: Sendable {
    /// Values per entry (the classification book packs several partitions into one entry).
    let dimensions: Int
    /// Codeword length per entry, 1...32.
    let lengths: [Int]
    /// Codeword per entry, most significant bit first, as the decoder assigns them.
    let codewords: [UInt32]
    /// Lowest lattice value; lattice values are `latticeMinimum ..< latticeMinimum + latticeSize`
    /// in steps of 1. `nil` for scalar books (lookup type 0).
    let latticeMinimum: Int?
    /// Distinct values per dimension (the spec's `lookup1_values`); 0 for scalar books.
    let latticeSize: Int

    var entries: Int { lengths.count }

    /// A scalar book (lookup type 0) whose entry numbers are the coded values.
    init(dimensions: Int = 1, weights: [Double]) {
        self.dimensions = dimensions
        self.lengths = Self.huffmanLengths(weights: weights)
        self.codewords = Self.assignCodewords(lengths: lengths)
        self.latticeMinimum = nil
        self.latticeSize = 0
    }

    /// A vector book over every combination of `minimum...maximum` in each of `dimensions` places;
    /// an entry's weight is the product of `weight(value)` over its places.
    init(dimensions: Int, minimum: Int, maximum: Int, weight: (Int) -> Double) {
        let size = maximum - minimum + 1
        var entryCount = 1
        for _ in 0..<dimensions { entryCount *= size }
        var weights: [Double] = []
        weights.reserveCapacity(entryCount)
        for entry in 0..<entryCount {
            var rest = entry
            var product = 1.0
            for _ in 0..<dimensions {
                product *= weight(minimum + rest % size)
                rest /= size
            }
            weights.append(product)
        }
        self.dimensions = dimensions
        self.lengths = Self.huffmanLengths(weights: weights)
        self.codewords = Self.assignCodewords(lengths: lengths)
        self.latticeMinimum = minimum
        self.latticeSize = size
    }

    /// The entry whose vector is `values` (each within the lattice). Lookup type 1 reads the
    /// first place from the least significant lattice digit of the entry number.
    func entry(for values: ArraySlice<Int>) -> Int {
        let minimum = latticeMinimum ?? 0
        var entry = 0
        var scale = 1
        for value in values {
            entry += (value - minimum) * scale
            scale *= latticeSize
        }
        return entry
    }

    func write(entry: Int, to writer: inout VorbisBitWriter) {
        writer.writeCodeword(codewords[entry], length: lengths[entry])
    }

    /// The codebook as it appears in the setup header.
    func writeHeader(to writer: inout VorbisBitWriter) {
        writer.write(0x56_4342, bits: 24)  // sync pattern "BCV"
        writer.write(dimensions, bits: 16)
        writer.write(entries, bits: 24)
        writer.write(0, bits: 1)  // not ordered: one length per entry
        writer.write(0, bits: 1)  // not sparse: every entry is used
        for length in lengths { writer.write(length - 1, bits: 5) }
        guard let minimum = latticeMinimum else {
            writer.write(0, bits: 4)  // lookup type 0: scalar entries only
            return
        }
        writer.write(1, bits: 4)
        writer.write(UInt64(Self.float32(minimum)), bits: 32)
        writer.write(UInt64(Self.float32(1)), bits: 32)  // delta
        let valueBits = max(1, Self.ilog(latticeSize - 1))
        writer.write(valueBits - 1, bits: 4)
        writer.write(0, bits: 1)  // values are not cumulative (sequence_p)
        for multiplicand in 0..<latticeSize { writer.write(multiplicand, bits: valueBits) }
    }

    /// The spec's ilog: the position of the highest set bit (0 for 0).
    static func ilog(_ value: Int) -> Int {
        value <= 0 ? 0 : Int.bitWidth - value.leadingZeroBitCount
    }

    /// An integer in Vorbis's float32 layout: sign bit, 10-bit exponent biased so that 788 means
    /// 2^0, 21-bit unnormalised mantissa.
    static func float32(_ value: Int) -> UInt32 {
        precondition(abs(value) < 1 << 21, "mantissa overflow")
        return (value < 0 ? 0x8000_0000 : 0) | UInt32(788) << 21 | UInt32(abs(value))
    }

    /// Huffman code lengths for `weights`. Weights are floored at a millionth of the largest so
    /// no length exceeds the 32 bits a length field can hold; ties break by index so the output
    /// is the same on every platform.
    static func huffmanLengths(weights: [Double]) -> [Int] {
        precondition(weights.count >= 2, "a codebook needs two entries for a full tree")
        let largest = weights.max() ?? 1
        var weight = weights.map { max($0, largest * 1e-6) }
        var parent = Array(repeating: -1, count: weights.count)
        var active = Array(weights.indices)
        while active.count > 1 {
            active.sort { weight[$0] != weight[$1] ? weight[$0] < weight[$1] : $0 < $1 }
            let node = weight.count
            weight.append(weight[active[0]] + weight[active[1]])
            parent.append(-1)
            parent[active[0]] = node
            parent[active[1]] = node
            active.removeFirst(2)
            active.append(node)
        }
        return weights.indices.map { leaf in
            var depth = 0
            var node = leaf
            while parent[node] >= 0 {
                node = parent[node]
                depth += 1
            }
            precondition(depth <= 32, "codeword longer than 32 bits")
            return depth
        }
    }

    /// The decoder's assignment (spec §3.2.1): in entry order, each entry takes the numerically
    /// lowest codeword of its length that is neither a prefix of, nor prefixed by, one already taken.
    static func assignCodewords(lengths: [Int]) -> [UInt32] {
        // A binary trie; `used` marks nodes with a codeword at or below them, `full` nodes with no room left.
        var children: [[Int]] = [[-1, -1]]
        var used = [false]
        var full = [false]

        func place(_ node: Int, depth: Int, length: Int, prefix: UInt32) -> UInt32? {
            if full[node] { return nil }
            if depth == length {
                if used[node] { return nil }
                used[node] = true
                full[node] = true
                return prefix
            }
            for bit in 0...1 {
                if children[node][bit] < 0 {
                    children[node][bit] = children.count
                    children.append([-1, -1])
                    used.append(false)
                    full.append(false)
                }
                if let codeword = place(children[node][bit], depth: depth + 1, length: length, prefix: prefix << 1 | UInt32(bit)) {
                    used[node] = true
                    full[node] = children[node].allSatisfy { $0 >= 0 && full[$0] }
                    return codeword
                }
            }
            return nil
        }

        return lengths.map { length in
            guard let codeword = place(0, depth: 0, length: length, prefix: 0) else {
                preconditionFailure("codeword lengths over-populate the tree")
            }
            return codeword
        }
    }
}
