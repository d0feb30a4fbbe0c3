import Foundation
import Testing

@testable import MockAudio

/// The Ogg Vorbis encoder: headers and pages parsed back in Swift, codebook and transform details
/// against the spec's definitions, and a real decoder (ffmpeg) reproducing the input.
@Suite struct VorbisEncoderTests {
    /// 440 Hz at 0.3 plus 3 kHz at 0.2 (the second channel's tone an octave up), 16-bit.
    static func toneMix(frames: Int, rate: Int, channels: Int) -> [Int16] {
        var samples: [Int16] = []
        samples.reserveCapacity(frames * channels)
        for index in 0..<frames {
            let time = Double(index) / Double(rate)
            for channel in 0..<channels {
                let value = 0.3 * sin(2 * Double.pi * 440 * Double(channel + 1) * time) + 0.2 * sin(2 * Double.pi * 3000 * time)
                samples.append(Int16((value * 32767).rounded()))
            }
        }
        return samples
    }

    struct Page {
        var flags: UInt8
        var granule: Int64
        var serial: UInt32
        var sequence: UInt32
        var lacing: [UInt8]
        var body: [UInt8]
    }

    /// Splits a file into pages, checking each page's capture pattern and CRC.
    static func pages(_ file: [UInt8]) -> [Page] {
        func little(_ bytes: ArraySlice<UInt8>) -> UInt64 { bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) } }
        var pages: [Page] = []
        var offset = 0
        while offset + 27 <= file.count {
            #expect(Array(file[offset..<offset + 4]) == Array("OggS".utf8), "capture pattern at \(offset)")
            #expect(file[offset + 4] == 0)
            let segments = Int(file[offset + 26])
            let lacing = Array(file[offset + 27..<offset + 27 + segments])
            let length = 27 + segments + lacing.reduce(0) { $0 + Int($1) }
            var page = Array(file[offset..<offset + length])
            let stored = UInt32(little(page[22..<26]))
            for index in 22..<26 { page[index] = 0 }
            #expect(AudioChecksum.oggCRC32(page) == stored, "CRC of page \(pages.count)")
            pages.append(Page(
                flags: page[5], granule: Int64(bitPattern: little(page[6..<14])), serial: UInt32(little(page[14..<18])),
                sequence: UInt32(little(page[18..<22])), lacing: lacing, body: Array(page[(27 + segments)...])))
            offset += length
        }
        #expect(offset == file.count, "trailing bytes after the last page")
        return pages
    }

    /// Reassembles packets; each comes with the index of the page it ends on.
    static func packets(_ pages: [Page]) -> [(bytes: [UInt8], page: Int)] {
        var packets: [(bytes: [UInt8], page: Int)] = []
        var current: [UInt8] = []
        for (index, page) in pages.enumerated() {
            var offset = 0
            for value in page.lacing {
                current += page.body[offset..<offset + Int(value)]
                offset += Int(value)
                if value < 255 {
                    packets.append((current, index))
                    current = []
                }
            }
        }
        #expect(current.isEmpty, "unfinished packet at the end")
        return packets
    }

    /// Reads bits least-significant first, as Vorbis packs them.
    struct BitReader {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var remaining: Int { bytes.count * 8 - position }

        mutating func read(_ count: Int) -> Int {
            var value = 0
            for bit in 0..<count {
                let byte = position / 8 < bytes.count ? bytes[position / 8] : 0
                value |= Int((byte >> UInt8(position % 8)) & 1) << bit
                position += 1
            }
            return value
        }

        mutating func readBytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(read(8)) } }
    }

    @Test func identificationAndCommentHeadersParseBack() {
        let file = VorbisEncoder(channels: 2, sampleRate: 22_050).encodeFile(samples: Self.toneMix(frames: 30_000, rate: 22_050, channels: 2))
        let packets = Self.packets(Self.pages(file))
        var identification = BitReader(packets[0].bytes)
        #expect(packets[0].bytes.count == 30)
        #expect(identification.read(8) == 1)
        #expect(identification.readBytes(6) == Array("vorbis".utf8))
        #expect(identification.read(32) == 0)  // version
        #expect(identification.read(8) == 2)
        #expect(identification.read(32) == 22_050)
        #expect(identification.read(32) == 0)  // maximum bitrate
        let nominal = identification.read(32)
        let audioBits = packets.dropFirst(3).reduce(0) { $0 + $1.bytes.count * 8 }
        #expect(nominal == audioBits * 22_050 / 30_000)
        #expect(identification.read(32) == 0)  // minimum bitrate
        #expect(identification.read(4) == 8 && identification.read(4) == 11)  // block sizes 256 and 2048
        #expect(identification.read(1) == 1)  // framing

        var comment = BitReader(packets[1].bytes)
        #expect(comment.read(8) == 3)
        #expect(comment.readBytes(6) == Array("vorbis".utf8))
        let vendorLength = comment.read(32)
        #expect(String(decoding: comment.readBytes(vendorLength), as: UTF8.self) == "Synapse mock Vorbis encoder")
        #expect(comment.read(32) == 0)
        #expect(comment.read(1) == 1)
        #expect(comment.remaining < 8)
    }

    /// Walks the whole setup header as a decoder would, checking what decoders reject: incomplete
    /// or over-full code trees, vector books without lookup, duplicate floor posts, bad references.
    @Test func setupHeaderParsesBack() {
        let file = VorbisEncoder(channels: 1, sampleRate: 8_000).encodeFile(samples: Self.toneMix(frames: 4_000, rate: 8_000, channels: 1))
        var reader = BitReader(Self.packets(Self.pages(file))[2].bytes)
        #expect(reader.read(8) == 5)
        #expect(reader.readBytes(6) == Array("vorbis".utf8))
        let bookCount = reader.read(8) + 1
        var bookHasLookup: [Bool] = []
        var bookDimensions: [Int] = []
        var bookEntries: [Int] = []
        for book in 0..<bookCount {
            #expect(reader.read(24) == 0x56_4342, "sync of book \(book)")
            let dimensions = reader.read(16)
            let entries = reader.read(24)
            #expect(reader.read(1) == 0)  // unordered
            let sparse = reader.read(1) == 1
            var kraft: UInt64 = 0
            for _ in 0..<entries where !sparse || reader.read(1) == 1 {
                kraft += UInt64(1) << UInt64(32 - (reader.read(5) + 1))
            }
            #expect(kraft == UInt64(1) << 32, "book \(book) is not a complete prefix code")
            let lookup = reader.read(4)
            #expect(lookup <= 1)
            if lookup == 1 {
                _ = reader.read(32)
                _ = reader.read(32)
                let valueBits = reader.read(4) + 1
                _ = reader.read(1)
                var values = 0
                while Int(pow(Double(values + 1), Double(dimensions)).rounded()) <= entries { values += 1 }
                for _ in 0..<values { _ = reader.read(valueBits) }
            }
            bookHasLookup.append(lookup != 0)
            bookDimensions.append(dimensions)
            bookEntries.append(entries)
        }
        #expect(reader.read(6) == 0 && reader.read(16) == 0)  // one time-domain placeholder

        #expect(reader.read(6) == 0)  // one floor
        #expect(reader.read(16) == 1)
        let partitions = reader.read(5)
        let partitionClasses = (0..<partitions).map { _ in reader.read(4) }
        var classDimensions: [Int] = []
        for _ in 0...(partitionClasses.max() ?? 0) {
            classDimensions.append(reader.read(3) + 1)
            let subclasses = reader.read(2)
            if subclasses > 0 { #expect(reader.read(8) < bookCount) }
            for _ in 0..<(1 << subclasses) { #expect(reader.read(8) - 1 < bookCount) }
        }
        #expect(reader.read(2) + 1 == 2)  // multiplier
        let rangeBits = reader.read(4)
        var posts = [0, 1 << rangeBits]
        for partitionClass in partitionClasses {
            for _ in 0..<classDimensions[partitionClass] { posts.append(reader.read(rangeBits)) }
        }
        #expect(Set(posts).count == posts.count && posts.count <= 65)

        #expect(reader.read(6) == 0)  // one residue
        #expect(reader.read(16) == 1)
        #expect(reader.read(24) == 0)
        #expect(reader.read(24) == 1024)
        let partitionSize = reader.read(24) + 1
        let classifications = reader.read(6) + 1
        let classbook = reader.read(8)
        #expect(Int(pow(Double(classifications), Double(bookDimensions[classbook]))) <= bookEntries[classbook])
        var cascades: [Int] = []
        for _ in 0..<classifications {
            let low = reader.read(3)
            cascades.append(reader.read(1) == 1 ? reader.read(5) << 3 | low : low)
        }
        for cascade in cascades {
            for pass in 0..<8 where cascade & (1 << pass) != 0 {
                let book = reader.read(8)
                #expect(book < bookCount && bookHasLookup[book])
                #expect(partitionSize % bookDimensions[book] == 0)
            }
        }

        #expect(reader.read(6) == 0)  // one mapping, type 0, one submap, no coupling
        #expect(reader.read(16) == 0 && reader.read(1) == 0 && reader.read(1) == 0 && reader.read(2) == 0)
        #expect(reader.read(8) == 0 && reader.read(8) == 0 && reader.read(8) == 0)
        #expect(reader.read(6) == 0)  // one mode: long blocks, mapping 0
        #expect(reader.read(1) == 1 && reader.read(16) == 0 && reader.read(16) == 0 && reader.read(8) == 0)
        #expect(reader.read(1) == 1)  // framing
        #expect(reader.remaining < 8)
    }

    @Test(arguments: [0, 1, 1_000, 1_024, 1_025, 20_000, 100_000])
    func pagesAreValidAndEndAtTheLastSample(frames: Int) {
        let file = VorbisEncoder(channels: 1, sampleRate: 16_000).encodeFile(samples: Self.toneMix(frames: frames, rate: 16_000, channels: 1))
        let pages = Self.pages(file)
        let packets = Self.packets(pages)
        #expect(pages.enumerated().allSatisfy { $1.sequence == UInt32($0) && $1.serial == 0x5359_4E41 })
        #expect(pages.enumerated().allSatisfy { ($1.flags & 0x02 != 0) == ($0 == 0) }, "BOS on the first page only")
        #expect(pages.enumerated().allSatisfy { ($1.flags & 0x04 != 0) == ($0 == pages.count - 1) }, "EOS on the last page only")
        // Identification header alone on page 0; comment and setup close page 1; audio starts on page 2.
        #expect(packets.count >= 4)
        #expect(packets[0].page == 0 && pages[0].lacing.count == 1)
        #expect(packets[1].page == 1 && packets[2].page == 1)
        #expect(pages[1].body.count == packets[1].bytes.count + packets[2].bytes.count)
        #expect(pages.prefix(2).allSatisfy { $0.granule == 0 })
        let granules = pages.dropFirst(2).map(\.granule).filter { $0 >= 0 }
        #expect(zip(granules, granules.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(pages.last?.granule == Int64(frames))
        // One packet per 1024-sample hop plus the lead-in block.
        #expect(packets.count - 3 == (frames + 1023) / 1024 + 1)
    }

    @Test func codewordsFollowTheSpecExample() {
        // Vorbis I spec §3.2.1: lengths 2,4,4,4,4,2,3,3 give 00, 0100, 0101, 0110, 0111, 10, 110, 111.
        let codewords = VorbisCodebook.assignCodewords(lengths: [2, 4, 4, 4, 4, 2, 3, 3])
        #expect(codewords == [0b00, 0b0100, 0b0101, 0b0110, 0b0111, 0b10, 0b110, 0b111])
        let lengths = VorbisCodebook.huffmanLengths(weights: [8, 1, 1, 2, 4])
        #expect(lengths.reduce(0.0) { $0 + pow(2, -Double($1)) } == 1)
    }

    @Test func floorTableMatchesTheSpec() {
        let table = VorbisFloor.inverseDBTable
        for (index, value) in [(0, 1.0649863e-07), (1, 1.1341951e-07), (64, 5.9888572e-06), (240, 0.38890521), (252, 0.82788260), (254, 0.9389798), (255, 1.0)] {
            #expect(abs(table[index] - value) / value < 1e-6, "entry \(index)")
        }
    }

    @Test func mdctMatchesItsDefinition() {
        let size = 64
        let mdct = VorbisMDCT(size: size)
        let block = (0..<size).map { sin(Double($0) * 0.37) + 0.5 * cos(Double($0 * $0) * 0.11) }
        let fast = mdct.forward(block)
        for k in 0..<size / 2 {
            var sum = 0.0
            for n in 0..<size {
                sum += mdct.window[n] * block[n] * cos(2 * Double.pi / Double(size) * (Double(n) + 0.5 + Double(size) / 4) * (Double(k) + 0.5))
            }
            #expect(abs(fast[k] - sum * 4 / Double(size)) < 1e-9, "coefficient \(k)")
        }
    }

    /// Decodes with ffmpeg: no complaints, exactly the input's length, and the tones come back
    /// sample-aligned with their level and at least 30 dB SNR.
    @Test(arguments: [(8_000, 1), (16_000, 1), (22_050, 2), (44_100, 2), (48_000, 1)])
    func ffmpegDecodesTheInput(rate: Int, channels: Int) throws {
        let frames = rate * 3 / 2 + 77
        let input = Self.toneMix(frames: frames, rate: rate, channels: channels)
        let file = VorbisEncoder(channels: channels, sampleRate: rate).encodeFile(samples: input)
        let decoded = try ReferenceDecoder.decode(file, fileExtension: "ogg", channels: channels)
        #expect(decoded.exitStatus == 0 && decoded.errors.isEmpty, "ffmpeg: \(decoded.errors)")
        try #require(decoded.samples.count == input.count, "decoded \(decoded.samples.count / channels) frames, expected \(frames)")
        for channel in 0..<channels {
            let (snr, level) = ReferenceDecoder.compare(input: input, decoded: decoded.samples, channels: channels, channel: channel)
            #expect(snr >= 30, "channel \(channel) at \(rate) Hz: SNR \(snr) dB")
            #expect(abs(level - 1) < 0.03, "channel \(channel) level")
        }
    }
}
