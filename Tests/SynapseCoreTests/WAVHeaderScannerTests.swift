import SynapseCore
import SynapseTestSupport
import Testing

/// The incremental header reader used while a reference uploads: linear in the header's size
/// and in agreement with `WAVHeader.parse` however the bytes are split.
@Suite struct WAVHeaderScannerTests {
    /// A valid WAV whose header holds `padding` bytes of small `JUNK` chunks before 6 s of tone.
    static func padded(padding: Int) -> [UInt8] {
        let tone = WAVFile.encode(samples: (0..<96_000).map { Int16(truncatingIfNeeded: $0 &* 37) }, sampleRate: 16_000)
        let plain = try! WAVHeader.parse(tone)
        let junkChunk = Array("JUNK".utf8) + [2, 0, 0, 0, 0, 0]
        var bytes = Array(tone[..<36])  // RIFF, WAVE and the 24-byte fmt chunk
        for _ in 0..<(padding / junkChunk.count) { bytes += junkChunk }
        bytes += tone[(plain.dataOffset - 8)...]
        let riffSize = UInt32(bytes.count - 8)
        for index in 0..<4 { bytes[4 + index] = UInt8(truncatingIfNeeded: riffSize >> (8 * UInt32(index))) }
        return bytes
    }

    @Test func aHeaderOfPaddingChunksFedIn512BytePiecesIsScannedOnce() throws {
        let file = Self.padded(padding: 420 * 1024)
        let expected = try WAVHeader.parse(file)
        var scanner = WAVHeaderScanner()
        var found: WAVHeader?
        var offset = 0
        while found == nil, offset < file.count {
            if case .header(let header) = try scanner.feed(file[offset..<min(file.count, offset + 512)]) { found = header }
            offset += 512
        }
        #expect(found == expected)
        // Every header byte once: re-parsing the prefix for each piece read ~180 MB here.
        #expect(scanner.bytesScanned == expected.dataOffset)
    }

    @Test func agreesWithTheWholeFileParserOnEverySplitAndEveryCut() throws {
        var generator = SplitMix64(seed: 12)
        let file = Self.padded(padding: 300)
        let header = try WAVHeader.parse(file)
        for cut in stride(from: 0, through: header.dataOffset, by: 1) {
            let prefix = Array(file.prefix(cut))
            var scanner = WAVHeaderScanner()
            var offset = 0
            var result = WAVHeader.PrefixResult.needMoreBytes
            while offset < prefix.count {
                let step = Int(generator.next() % 17) + 1
                result = try scanner.feed(prefix[offset..<min(prefix.count, offset + step)])
                offset += step
            }
            #expect(result == (try WAVHeader.parse(prefix: prefix)), "cut at \(cut)")
            if case .needMoreBytes = result {
                #expect(throws: scanner.incompleteReason) { try WAVHeader.parse(prefix) }
            }
        }
    }

    @Test func refusesTheWrongMagicAtTheFirstWrongByte() {
        var scanner = WAVHeaderScanner()
        #expect(throws: WAVError.notRIFF) { try scanner.feed(Array("RIX".utf8)) }
        var wave = WAVHeaderScanner()
        #expect(throws: WAVError.notWAVE) { try wave.feed(Array("RIFF".utf8) + [0, 0, 0, 0] + Array("AVI".utf8)) }
    }

    @Test func stopsAtTheHeaderSizeLimitWithoutKeepingTheSkippedBytes() {
        var scanner = WAVHeaderScanner(maximumHeaderSize: 1000)
        #expect(throws: WAVError.headerTooLarge(limit: 1000)) { try scanner.feed(Self.padded(padding: 2000)) }
    }
}
