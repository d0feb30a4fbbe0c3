/// The one residue of the stream: Vorbis residue type 1 over all 1024 lines, each channel coded
/// on its own (no coupling), in partitions of 16 lines.
///
/// A partition's class follows its largest magnitude, so quiet partitions cost almost nothing:
///
/// | class | values | book |
/// | --- | --- | --- |
/// | 0 | all 0 | none (nothing coded) |
/// | 1 | −1…1 | 4 values per codeword |
/// | 2 | −4…4 | 2 values per codeword |
/// | 3 | −`largest`…`largest` | 1 value per codeword (values beyond are clamped) |
///
/// The classification book codes the classes of two consecutive partitions per codeword.
struct VorbisResidue: Sendable {
    static let partitionSize = 16
    static let classifications = 4
    static let partitionsPerClassword = 2
    /// Largest residue magnitude the class-3 book carries.
    static let largest = 48
    /// Largest magnitude of classes 0, 1 and 2.
    private static let classLimits = [0, 1, 4]

    /// Lines coded per channel (N/2).
    let end: Int
    /// Setup-header indices of the classification book and of each class's book (`nil`: class 0).
    let classbookIndex: Int
    let classBookIndices: [Int?]
    let classbook: VorbisCodebook
    let classBooks: [VorbisCodebook?]

    init(end: Int, firstBookIndex: Int) {
        precondition(end % (Self.partitionSize * Self.partitionsPerClassword) == 0, "classwords must cover whole partitions")
        self.end = end
        let classWeights = [6.0, 3, 2, 1]
        var pairWeights: [Double] = []
        for first in 0..<Self.classifications {
            for second in 0..<Self.classifications { pairWeights.append(classWeights[first] * classWeights[second]) }
        }
        classbook = VorbisCodebook(dimensions: Self.partitionsPerClassword, weights: pairWeights)
        classBooks = [
            nil,
            VorbisCodebook(dimensions: 4, minimum: -1, maximum: 1) { $0 == 0 ? 3 : 1 },
            VorbisCodebook(dimensions: 2, minimum: -4, maximum: 4) { 1 / Double(1 + abs($0) * abs($0)) },
            VorbisCodebook(dimensions: 1, minimum: -Self.largest, maximum: Self.largest) { 1 / Double(2 + abs($0)) },
        ]
        classbookIndex = firstBookIndex
        var next = firstBookIndex + 1
        classBookIndices = classBooks.map { book in
            guard book != nil else { return nil }
            defer { next += 1 }
            return next
        }
    }

    /// Every book this residue uses, in setup-header order starting at `firstBookIndex`.
    var books: [VorbisCodebook] { [classbook] + classBooks.compactMap { $0 } }

    var partitionCount: Int { end / Self.partitionSize }

    /// The residue's setup-header configuration.
    func writeHeader(to writer: inout VorbisBitWriter) {
        writer.write(1, bits: 16)  // residue type 1
        writer.write(0, bits: 24)  // begin
        writer.write(end, bits: 24)
        writer.write(Self.partitionSize - 1, bits: 24)
        writer.write(Self.classifications - 1, bits: 6)
        writer.write(classbookIndex, bits: 8)
        // Each coded class has a book in the first cascade pass only.
        for book in classBookIndices {
            writer.write(book == nil ? 0 : 1, bits: 3)
            writer.write(0, bits: 1)
        }
        for book in classBookIndices {
            if let book { writer.write(book, bits: 8) }
        }
    }

    /// Clamps `values` to what the books can carry.
    static func clamp(_ value: Int) -> Int { min(max(value, -largest), largest) }

    /// Codes the residue vectors of the channels whose floor is in use, in the decoder's order:
    /// per group of partitions, each channel's classword, then partition by partition, channel by
    /// channel, the values. Passes 2–8 of the cascade have no books, so nothing follows.
    func write(_ vectors: [[Int]], to writer: inout VorbisBitWriter) {
        guard !vectors.isEmpty else { return }
        let classes = vectors.map { vector in
            (0..<partitionCount).map { partition in
                let start = partition * Self.partitionSize
                let peak = vector[start..<start + Self.partitionSize].reduce(0) { max($0, abs($1)) }
                return Self.classLimits.firstIndex { peak <= $0 } ?? Self.classifications - 1
            }
        }
        var partition = 0
        while partition < partitionCount {
            for channelClasses in classes {
                var entry = 0
                for offset in 0..<Self.partitionsPerClassword { entry = entry * Self.classifications + channelClasses[partition + offset] }
                classbook.write(entry: entry, to: &writer)
            }
            for _ in 0..<Self.partitionsPerClassword {
                for (vector, channelClasses) in zip(vectors, classes) {
                    guard let book = classBooks[channelClasses[partition]] else { continue }
                    let start = partition * Self.partitionSize
                    for offset in stride(from: 0, to: Self.partitionSize, by: book.dimensions) {
                        book.write(entry: book.entry(for: vector[start + offset..<start + offset + book.dimensions]), to: &writer)
                    }
                }
                partition += 1
            }
        }
    }
}
