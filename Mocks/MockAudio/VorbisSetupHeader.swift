/// The stream's codec setup (the third Vorbis header): its codebooks, one floor, one residue, one
/// mapping and one mode. Every audio packet uses this single configuration, a 2048-sample block.
struct VorbisSetupHeader: Sendable {
    /// Block size exponents in the identification header. Only long blocks are ever used; the
    /// short size is the smallest sensible value because the header must name one.
    static let shortBlockExponent = 8
    static let longBlockExponent = 11
    static var blockSize: Int { 1 << longBlockExponent }

    let floor: VorbisFloor
    /// Codes each floor post after the first two (book 0).
    let floorBook: VorbisCodebook
    /// Books 1 onwards.
    let residue: VorbisResidue

    init() {
        floor = VorbisFloor(binCount: Self.blockSize / 2)
        // Predictions are usually within a few steps, and small codes mean small corrections.
        floorBook = VorbisCodebook(weights: (0..<VorbisFloor.range).map { 1 / Double((4 + $0) * (4 + $0)) })
        residue = VorbisResidue(end: Self.blockSize / 2, firstBookIndex: 1)
    }

    var codebooks: [VorbisCodebook] { [floorBook] + residue.books }

    /// The setup header packet.
    func packet() -> [UInt8] {
        var writer = VorbisBitWriter()
        writer.write(5, bits: 8)
        writer.write(bytes: Array("vorbis".utf8))
        writer.write(codebooks.count - 1, bits: 8)
        for book in codebooks { book.writeHeader(to: &writer) }
        // Time-domain transforms: one placeholder, value 0, as Vorbis I requires.
        writer.write(0, bits: 6)
        writer.write(0, bits: 16)
        writeFloor(to: &writer)
        writer.write(0, bits: 6)  // one residue
        residue.writeHeader(to: &writer)
        // One mapping (type 0): one submap using floor 0 and residue 0, no channel coupling.
        writer.write(0, bits: 6)
        writer.write(0, bits: 16)
        writer.write(0, bits: 1)  // a single submap
        writer.write(0, bits: 1)  // no square-polar coupling steps
        writer.write(0, bits: 2)  // reserved
        writer.write(0, bits: 8)  // time configuration (unused)
        writer.write(0, bits: 8)  // floor 0
        writer.write(0, bits: 8)  // residue 0
        // One mode: long blocks, window and transform type 0, mapping 0.
        writer.write(0, bits: 6)
        writer.write(1, bits: 1)
        writer.write(0, bits: 16)
        writer.write(0, bits: 16)
        writer.write(0, bits: 8)
        writer.write(1, bits: 1)  // framing
        return writer.bytes
    }

    /// Floor 0 (type 1): every partition uses class 0, which reads its posts with book 0 and has
    /// no subclasses (so no master book).
    private func writeFloor(to writer: inout VorbisBitWriter) {
        writer.write(0, bits: 6)  // one floor
        writer.write(1, bits: 16)
        writer.write(floor.partitions, bits: 5)
        for _ in 0..<floor.partitions { writer.write(0, bits: 4) }
        writer.write(VorbisFloor.postsPerPartition - 1, bits: 3)
        writer.write(0, bits: 2)
        writer.write(0 + 1, bits: 8)  // subclass book, stored plus one
        writer.write(VorbisFloor.multiplier - 1, bits: 2)
        writer.write(VorbisFloor.rangeBits, bits: 4)
        for position in floor.positions.dropFirst(2) { writer.write(position, bits: VorbisFloor.rangeBits) }
    }

    /// One audio packet: header bits, then each channel's floor, then the residue of the channels
    /// whose floor is in use. `floors[c] == nil` marks a silent channel (floor flag 0, no residue).
    func audioPacket(floors: [VorbisFloor.Fit?], residues: [[Int]]) -> [UInt8] {
        var writer = VorbisBitWriter()
        writer.write(0, bits: 1)  // audio packet; one mode, so the mode number takes no bits
        // Long-block window flags: both neighbours are long blocks too, so the window is symmetric.
        writer.write(1, bits: 1)
        writer.write(1, bits: 1)
        let postBits = VorbisCodebook.ilog(VorbisFloor.range - 1)
        for fit in floors {
            guard let fit else {
                writer.write(0, bits: 1)
                continue
            }
            writer.write(1, bits: 1)
            writer.write(fit.codes[0], bits: postBits)
            writer.write(fit.codes[1], bits: postBits)
            for code in fit.codes.dropFirst(2) { floorBook.write(entry: code, to: &writer) }
        }
        residue.write(zip(floors, residues).compactMap { $0.0 == nil ? nil : $0.1 }, to: &writer)
        return writer.bytes
    }
}
