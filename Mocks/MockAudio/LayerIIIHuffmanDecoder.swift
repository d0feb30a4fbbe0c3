/// Decodes the Huffman-coded part of a Layer III granule (11172-3 2.4.2.7, 2.4.3.4.6): the
/// big_values pairs in up to three regions, each with its own table, then count1 quadruples.
///
/// The standard gives the tables as encoder tables (code and length per value); decoding needs
/// the reverse. Each table becomes multi-level lookup: the next `rootBits` bits index an entry that
/// is either a value with its true code length, or a pointer to a subtable for the codes that are
/// longer. A code is then resolved in one or two lookups instead of a bit-by-bit tree walk.
struct LayerIIIHuffmanDecoder: Sendable {
    /// Entry layout: a value as `symbol << 5 | length` (length 0: no code starts with these bits);
    /// a subtable as `-(offset << 5 | bits)`.
    private let entries: [Int32]
    /// Bits that index the first level: at most `levelBits`, fewer for tables with short codes.
    private let rootBits: Int
    private static let levelBits = 8

    /// Codes given right-aligned with their lengths; symbol i is the i-th code.
    init(codes: [Int], lengths: [Int]) {
        var table: [Int32] = []
        let all = codes.indices.filter { lengths[$0] > 0 }.map { (code: codes[$0], length: lengths[$0], symbol: $0) }
        rootBits = min(Self.levelBits, all.map(\.length).max() ?? 1)
        Self.build(all, bits: rootBits, into: &table)
        entries = table
    }

    @discardableResult
    private static func build(_ codes: [(code: Int, length: Int, symbol: Int)], bits: Int, into table: inout [Int32]) -> Int {
        let base = table.count
        table += [Int32](repeating: 0, count: 1 << bits)
        var longer: [Int: [(code: Int, length: Int, symbol: Int)]] = [:]
        for entry in codes {
            if entry.length <= bits {
                let spread = bits - entry.length
                for index in 0..<(1 << spread) { table[base + (entry.code << spread | index)] = Int32(entry.symbol << 5 | entry.length) }
            } else {
                let rest = entry.length - bits
                longer[entry.code >> rest, default: []].append((entry.code & ((1 << rest) - 1), rest, entry.symbol))
            }
        }
        for (prefix, group) in longer.sorted(by: { $0.key < $1.key }) {
            let subBits = min(levelBits, group.map(\.length).max()!)
            let offset = build(group, bits: subBits, into: &table)
            table[base + prefix] = -Int32(offset << 5 | subBits)
        }
        return base
    }

    /// The next symbol, or nil where no code matches (a damaged stream; the standard's tables are
    /// complete, so this only happens for bits that are not Huffman data).
    @inline(__always)
    func decode(_ reader: inout LayerIIIBitReader) -> Int? {
        var offset = 0
        var bits = rootBits
        while true {
            let entry = Int(entries[offset + reader.peek(bits)])
            if entry >= 0 {
                let length = entry & 31
                guard length > 0 else { return nil }
                reader.position += length
                return entry >> 5
            }
            reader.position += bits
            offset = -entry >> 5
            bits = -entry & 31
        }
    }

    // MARK: The standard's tables

    /// Pair decoders by table_select, nil for 0 (all zero) and the unused 4 and 14.
    static let pairs: [LayerIIIHuffmanDecoder?] = LayerIIIHuffmanTables.pairTables.map { table in
        table.map { LayerIIIHuffmanDecoder(codes: $0.codes.map(Int.init), lengths: $0.lengths.map(Int.init)) }
    }
    /// count1 table A; table B is four plain bits, inverted.
    static let quadA = LayerIIIHuffmanDecoder(
        codes: LayerIIIHuffmanTables.quadCodesA.map(Int.init), lengths: LayerIIIHuffmanTables.quadLengthsA.map(Int.init))

    /// Fills `values` (576 lines) from the reader, which stands at the start of part 3 (after the
    /// scale factors); `end` is where the granule's part2_3_length ends. Returns how many lines may
    /// be non-zero, or nil for a code that cannot be decoded or a table that does not exist.
    static func decodeSpectrum(
        _ granule: LayerIIIGranuleInfo, reader: inout LayerIIIBitReader, end: Int, into values: inout [Int32]
    ) -> Int? {
        for index in 0..<576 { values[index] = 0 }
        let bigEnd = min(granule.bigValues * 2, 576)
        let boundaries = [0, min(granule.region1Start, bigEnd), min(max(granule.region2Start, granule.region1Start), bigEnd), bigEnd]
        for region in 0..<3 {
            var line = boundaries[region]
            let stop = max(line, boundaries[region + 1])
            let select = granule.tableSelect[region]
            if select == 0 || line >= stop { continue }
            guard let decoder = pairs[select], let table = LayerIIIHuffmanTables.pairTables[select] else { return nil }
            let size = table.size
            let linbits = table.linbits
            while line < stop {
                guard let symbol = decoder.decode(&reader) else { return nil }
                var x = symbol / size
                var y = symbol % size
                if linbits > 0 && x == 15 { x += reader.read(linbits) }
                if x != 0 && reader.read(1) == 1 { x = -x }
                if linbits > 0 && y == 15 { y += reader.read(linbits) }
                if y != 0 && reader.read(1) == 1 { y = -y }
                values[line] = Int32(x)
                values[line + 1] = Int32(y)
                line += 2
            }
        }

        var line = bigEnd
        while line + 4 <= 576 && reader.position < end {
            let quad: Int
            if granule.count1TableB {
                quad = 15 - reader.read(4)
            } else {
                guard let symbol = quadA.decode(&reader) else { return nil }
                quad = symbol
            }
            var four: (Int32, Int32, Int32, Int32) = (0, 0, 0, 0)
            func signed(_ bit: Int) -> Int32 {
                guard quad >> bit & 1 == 1 else { return 0 }
                return reader.read(1) == 1 ? -1 : 1
            }
            four.0 = signed(3)
            four.1 = signed(2)
            four.2 = signed(1)
            four.3 = signed(0)
            // A quadruple that runs past part2_3_length is the start of stuffing bits misread as
            // data: encoders never end a granule mid-code, so it is dropped.
            if reader.position > end { break }
            values[line] = four.0
            values[line + 1] = four.1
            values[line + 2] = four.2
            values[line + 3] = four.3
            line += 4
        }
        reader.position = end
        return line
    }
}
