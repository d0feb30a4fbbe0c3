import SynapseCore
import Testing

/// Builds WAV files chunk by chunk, so tests can make unusual but valid (and invalid) layouts.
private struct WAVBuilder {
    var bytes: [UInt8] = Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WAVE".utf8)

    mutating func chunk(_ id: String, _ body: [UInt8]) {
        bytes += Array(id.utf8) + le32(body.count) + body
        if body.count % 2 == 1 { bytes.append(0) }
    }

    mutating func fmt(tag: UInt16 = 1, channels: Int = 1, rate: Int = 16000, bits: Int = 16) {
        let align = channels * bits / 8
        chunk("fmt ", le16(Int(tag)) + le16(channels) + le32(rate) + le32(rate * align) + le16(align) + le16(bits))
    }

    mutating func data(_ body: [UInt8]) { chunk("data", body) }

    func finished() -> [UInt8] {
        var out = bytes
        let size = le32(out.count - 8)
        for index in 0..<4 { out[4 + index] = size[index] }
        return out
    }
}

private func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF)] }
private func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }

@Suite struct WAVHeaderTests {
    @Test func parsesFormatAndDataOfAPlainPCMFile() throws {
        var builder = WAVBuilder()
        builder.fmt(channels: 2, rate: 48000, bits: 16)
        builder.data([UInt8](repeating: 0, count: 48000 * 4))
        let header = try WAVHeader.parse(builder.finished())
        #expect(header.format.encoding == .pcm)
        #expect(header.format.channels == 2)
        #expect(header.format.sampleRate == 48000)
        #expect(header.format.byteRate == 192_000)
        #expect(header.format.blockAlign == 4)
        #expect(header.format.bitsPerSample == 16)
        #expect(header.dataOffset == 44)
        #expect(header.declaredDataSize == 192_000)
        #expect(header.duration == 1.0)
    }

    @Test func skipsUnknownChunksWithOddSizesAndReadsInfoTags() throws {
        var builder = WAVBuilder()
        builder.chunk("junk", [1, 2, 3])  // odd: one pad byte follows
        builder.fmt()
        builder.chunk("LIST", Array("INFO".utf8) + Array("INAM".utf8) + le32(6) + Array("Hello".utf8) + [0])
        builder.data([0, 0, 0, 0])
        let header = try WAVHeader.parse(builder.finished())
        #expect(header.infoValue("INAM") == "Hello")
        #expect(header.dataOffset == 12 + 12 + 24 + 26 + 8)  // RIFF, junk + pad, fmt, LIST, data header
        #expect(header.frameCount == 2)
    }

    @Test func resolvesTheSubFormatOfAnExtensibleFile() throws {
        var builder = WAVBuilder()
        let rate = 24000
        var body = le16(0xFFFE) + le16(1) + le32(rate) + le32(rate * 2) + le16(2) + le16(16)
        body += le16(22) + le16(16) + le32(4) + le16(1) + [0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71]
        builder.chunk("fmt ", body)
        builder.data([1, 0])
        let header = try WAVHeader.parse(builder.finished())
        #expect(header.format.formatTag == 0xFFFE)
        #expect(header.format.encoding == .pcm)
        #expect(header.format.isDecodable)
    }

    @Test func asksForMoreBytesUntilTheDataChunkHeaderArrives() throws {
        var builder = WAVBuilder()
        builder.fmt()
        builder.chunk("LIST", Array("INFO".utf8))
        builder.data([0, 0, 0, 0])
        let file = builder.finished()
        let dataOffset = file.count - 4
        for length in [0, 3, 4, 11, 12, 20, 36, dataOffset - 1] {
            #expect(try WAVHeader.parse(prefix: Array(file.prefix(length))) == .needMoreBytes, "prefix of \(length)")
        }
        guard case .header(let header) = try WAVHeader.parse(prefix: Array(file.prefix(dataOffset))) else {
            Issue.record("expected a header")
            return
        }
        #expect(header.dataOffset == dataOffset)
    }

    @Test func rejectsTheWrongMagicAfterFourBytes() {
        #expect(throws: WAVError.notRIFF) { try WAVHeader.parse(prefix: Array("ID3\u{3}".utf8)) }
        #expect(throws: WAVError.notRIFF) { try WAVHeader.parse(prefix: Array("R".utf8) + [0]) }
        #expect(throws: WAVError.notWAVE) { try WAVHeader.parse(prefix: Array("RIFF".utf8) + [0, 0, 0, 0] + Array("AVI ".utf8)) }
    }

    @Test func reportsTruncatedAndMissingChunksOnACompleteBuffer() {
        var noData = WAVBuilder()
        noData.fmt()
        #expect(throws: WAVError.missingDataChunk) { try WAVHeader.parse(noData.finished()) }

        var dataFirst = WAVBuilder()
        dataFirst.data([0, 0])
        dataFirst.fmt()
        #expect(throws: WAVError.missingFormatChunk) { try WAVHeader.parse(dataFirst.finished()) }

        var cut = WAVBuilder()
        cut.fmt()
        #expect(throws: WAVError.truncated) { try WAVHeader.parse(Array(cut.finished().dropLast(5))) }
        #expect(throws: WAVError.truncated) { try WAVHeader.parse(Array("RIFF".utf8)) }
    }

    @Test func rejectsAFormatChunkWithZeroChannels() {
        var builder = WAVBuilder()
        builder.fmt(channels: 0)
        builder.data([])
        #expect(throws: WAVError.invalidFormat(reason: "zero channels")) { try WAVHeader.parse(builder.finished()) }
        #expect(WAVError.invalidFormat(reason: "x").code == "wav_invalid_format")
    }

    @Test func stopsAtTheHeaderSizeLimit() {
        var builder = WAVBuilder()
        builder.chunk("junk", [UInt8](repeating: 0, count: 2000))
        #expect(throws: WAVError.headerTooLarge(limit: 1000)) {
            try WAVHeader.parse(prefix: Array(builder.finished().prefix(40)), maximumHeaderSize: 1000)
        }
    }
}
