import SynapseCore
import Testing

@Suite struct WAVFileTests {
    @Test func roundTripsStereoSamplesAndInfoTags() throws {
        let samples: [Int16] = [0, 1, -1, 32767, -32768, 1234, 42, -42]
        let bytes = WAVFile.encode(samples: samples, channels: 2, sampleRate: 22050, infoTags: [WAVInfoTag("ICMT", "odd")])
        let file = try WAVFile(bytes: bytes)
        #expect(file.samples == samples)
        #expect(file.channels == 2)
        #expect(file.sampleRate == 22050)
        #expect(file.frameCount == 4)
        #expect(file.infoValue("ICMT") == "odd")
        #expect(file.monoSamples == [0, 16383, -15767, 0])
        // RIFF size equals the file size minus 8.
        #expect(Int(bytes[4]) | Int(bytes[5]) << 8 | Int(bytes[6]) << 16 == bytes.count - 8)
    }

    @Test func writesTheCanonical44ByteHeaderWithoutTags() {
        let bytes = WAVFile.encode(samples: [1, 2, 3], sampleRate: 24000)
        #expect(bytes.count == 44 + 6)
        #expect(Array(bytes[36..<40]) == Array("data".utf8))
    }

    @Test func readsInfoTagsWrittenAfterTheData() throws {
        var bytes = WAVFile.encode(samples: [5, 6, 7], sampleRate: 8000)
        let list = Array("LIST".utf8) + [16, 0, 0, 0] + Array("INFO".utf8) + Array("IART".utf8) + [3, 0, 0, 0] + Array("ab".utf8) + [0, 0]
        bytes += list
        let file = try WAVFile(bytes: bytes)
        #expect(file.samples == [5, 6, 7])
        #expect(file.infoValue("IART") == "ab")
    }

    @Test func readsAStreamedFileWhoseDataSizeIsUnknown() throws {
        var bytes = WAVFile.headerBytes(sampleRate: 16000, dataSize: 0xFFFF_FFFF)
        WAVFile.appendPCM16([10, 20, 30], to: &bytes)
        bytes.append(0x7F)  // half a sample: dropped
        let file = try WAVFile(bytes: bytes)
        #expect(file.samples == [10, 20, 30])
    }

    @Test func convertsEightBitAndFloatSamplesToPCM16() throws {
        let eightBit =
            Array("RIFF".utf8) + [38, 0, 0, 0] + Array("WAVEfmt ".utf8) + [16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1F, 0, 0, 0x40, 0x1F, 0, 0, 1, 0, 8, 0]
            + Array("data".utf8) + [2, 0, 0, 0, 128, 255]
        #expect(try WAVFile(bytes: eightBit).samples == [0, 127 << 8])

        let half = Float(0.5).bitPattern
        let floatBytes = (0..<4).map { UInt8((half >> (8 * UInt32($0))) & 0xFF) }
        let float =
            Array("RIFF".utf8) + [40, 0, 0, 0] + Array("WAVEfmt ".utf8) + [16, 0, 0, 0, 3, 0, 1, 0, 0x40, 0x1F, 0, 0, 0, 0x7D, 0, 0, 4, 0, 32, 0]
            + Array("data".utf8) + [4, 0, 0, 0] + floatBytes
        #expect(try WAVFile(bytes: float).samples == [16384])
    }

    @Test func refusesToDecodeCompressedFormats() {
        let adpcm =
            Array("RIFF".utf8) + [38, 0, 0, 0] + Array("WAVEfmt ".utf8) + [16, 0, 0, 0, 2, 0, 1, 0, 0x40, 0x1F, 0, 0, 0x40, 0x1F, 0, 0, 1, 0, 4, 0]
            + Array("data".utf8) + [2, 0, 0, 0, 0, 0]
        #expect(throws: WAVError.unsupportedFormat(formatTag: 2, bitsPerSample: 4)) { try WAVFile(bytes: adpcm) }
    }

    @Test func cutsAnExcerptThatIsAValidShorterFile() throws {
        let samples = (0..<(8000 * 3)).map { Int16(truncatingIfNeeded: $0) }
        let original = WAVFile.encode(samples: samples, sampleRate: 8000, infoTags: [WAVInfoTag("INAM", "three seconds")])
        let excerpt = try WAVFile.excerpt(of: original, firstSeconds: 1.5)
        let file = try WAVFile(bytes: excerpt)
        #expect(file.duration == 1.5)
        #expect(file.samples == Array(samples.prefix(12000)))
        #expect(file.infoValue("INAM") == "three seconds")
        let header = try WAVHeader.parse(excerpt)
        #expect(Int(header.declaredDataSize) + header.dataOffset == excerpt.count)

        let whole = try WAVFile.excerpt(of: original, firstSeconds: 30)
        #expect(whole == original)
    }
}
