import Foundation
@testable import MockAudio
import Testing

/// Structural checks of the encoders: digests and CRCs against published check values, and each
/// container's framing parsed back in Swift.
@Suite struct AudioEncoderTests {
    static func sine(frames: Int, rate: Int, channels: Int = 1, frequency: Double = 440) -> [Int16] {
        var samples: [Int16] = []
        for index in 0..<frames {
            for channel in 0..<channels {
                samples.append(Int16(0.3 * 32767 * sin(2 * Double.pi * frequency * Double(channel + 1) * Double(index) / Double(rate))))
            }
        }
        return samples
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func md5MatchesTheRFC1321TestSuite() {
        #expect(Self.hex(MD5.digest([])) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(Self.hex(MD5.digest(Array("abc".utf8))) == "900150983cd24fb0d6963f7d28e17f72")
        let long = Array("12345678901234567890123456789012345678901234567890123456789012345678901234567890".utf8)
        #expect(Self.hex(MD5.digest(long)) == "57edf4a22be3c955ac49da2e2107b67a")
    }

    @Test func checksumsMatchTheirCatalogueCheckValues() {
        let check = Array("123456789".utf8)
        #expect(AudioChecksum.crc8(check) == 0xF4)
        #expect(AudioChecksum.crc16(check) == 0xFEE8)
        #expect(AudioChecksum.oggCRC32(check) == 0x89A1_897F)
    }

    @Test func flacFileStartsWithStreamInfoDescribingTheSamples() throws {
        let samples = Self.sine(frames: 10_000, rate: 16_000, channels: 2)
        let file = FLACEncoder(channels: 2, sampleRate: 16_000).encodeFile(samples: samples)
        #expect(Array(file[0..<4]) == Array("fLaC".utf8))
        #expect(file[4] & 0x7F == 0)  // STREAMINFO first
        let info = Array(file[8..<42])
        let rate = Int(info[10]) << 12 | Int(info[11]) << 4 | Int(info[12]) >> 4
        let channels = Int((info[12] >> 1) & 0x07) + 1
        let bits = Int((info[12] & 1) << 4 | info[13] >> 4) + 1
        let total = Int(info[13] & 0x0F) << 32 | Int(info[14]) << 24 | Int(info[15]) << 16 | Int(info[16]) << 8 | Int(info[17])
        #expect(rate == 16_000 && channels == 2 && bits == 16 && total == 10_000)
        var pcm: [UInt8] = []
        for sample in samples { pcm += [UInt8(truncatingIfNeeded: sample), UInt8(truncatingIfNeeded: sample >> 8)] }
        #expect(Array(info[18..<34]) == MD5.digest(pcm))
    }

    @Test func everyFlacFrameCarriesValidCRCs() {
        let encoder = FLACEncoder(channels: 1, sampleRate: 8_000, blockSize: 1024)
        let frames = encoder.encodeFrames(samples: Self.sine(frames: 5_000, rate: 8_000))
        #expect(frames.count == 5)
        for (number, frame) in frames.enumerated() {
            #expect(frame[0] == 0xFF && frame[1] == 0xF8)
            // Header: 4 fixed bytes, 1-byte frame number (< 128), 2-byte block size, then CRC-8.
            #expect(Int(frame[4]) == number)
            #expect(AudioChecksum.crc8(frame[0..<7]) == frame[7])
            let crc = UInt16(frame[frame.count - 2]) << 8 | UInt16(frame[frame.count - 1])
            #expect(AudioChecksum.crc16(frame.dropLast(2)) == crc)
        }
        #expect(Int(frames[4][5]) << 8 | Int(frames[4][6]) == 5_000 - 4 * 1024 - 1)
    }

    @Test func oggPagesHaveValidCRCsAndEndAtTheLastSample() throws {
        let file = VorbisEncoder(channels: 1, sampleRate: 16_000).encodeFile(samples: Self.sine(frames: 20_000, rate: 16_000))
        var offset = 0
        var pages: [(flags: UInt8, granule: Int64)] = []
        while offset < file.count {
            #expect(Array(file[offset..<offset + 4]) == Array("OggS".utf8))
            let segments = Int(file[offset + 26])
            let bodySize = file[(offset + 27)..<(offset + 27 + segments)].reduce(0) { $0 + Int($1) }
            let length = 27 + segments + bodySize
            var page = Array(file[offset..<offset + length])
            let stored = (0..<4).reduce(UInt32(0)) { $0 | UInt32(page[22 + $1]) << UInt32(8 * $1) }
            for index in 22..<26 { page[index] = 0 }
            #expect(AudioChecksum.oggCRC32(page) == stored)
            let granule = (0..<8).reduce(UInt64(0)) { $0 | UInt64(page[6 + $1]) << UInt64(8 * $1) }
            pages.append((page[5], Int64(bitPattern: granule)))
            offset += length
        }
        #expect(offset == file.count)
        #expect(pages.first?.flags == 0x02)
        #expect(pages.last.map { $0.flags & 0x04 } == 0x04)
        #expect(pages.last?.granule == 20_000)
        #expect(Array(file[28..<35]) == [0x01] + Array("vorbis".utf8))
    }

    /// One MPEG audio frame as its header describes it.
    struct MPEGFrame {
        var offset: Int
        var length: Int
        var bitrate: Int
    }

    /// Walks `stream` frame by frame, taking each frame's length from its own header.
    static func mpegFrames(_ stream: [UInt8]) -> [MPEGFrame] {
        var frames: [MPEGFrame] = []
        var offset = 0
        while offset + 4 <= stream.count, stream[offset] == 0xFF, stream[offset + 1] & 0xE0 == 0xE0 {
            let isMPEG1 = (stream[offset + 1] >> 3) & 0b11 == 0b11
            let bitrates = isMPEG1
                ? [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
                : [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
            let rates = isMPEG1 ? [44_100, 48_000, 32_000] : [22_050, 24_000, 16_000]
            let bitrate = bitrates[Int(stream[offset + 2] >> 4)]
            let rate = rates[Int((stream[offset + 2] >> 2) & 0b11)]
            let padding = Int((stream[offset + 2] >> 1) & 1)
            let length = (isMPEG1 ? 144_000 : 72_000) * bitrate / rate + padding
            frames.append(MPEGFrame(offset: offset, length: length, bitrate: bitrate))
            offset += length
        }
        return frames
    }

    /// Audio frames an MPEGAudioEncoder stream needs for `frames` input samples: decoders return
    /// sample 0 at 1,057, and the last sample must come out too.
    static func mpegAudioFrameCount(frames: Int, samplesPerFrame: Int) -> Int {
        (frames + 1057 + samplesPerFrame - 1) / samplesPerFrame
    }

    @Test(arguments: [(48_000, 1, 64), (44_100, 2, 128), (32_000, 1, 32), (16_000, 1, 32), (22_050, 2, 96)])
    func mpegFramesHaveTheRequestedBitrateAndDuration(rate: Int, channels: Int, bitrate: Int) throws {
        let frames = rate * 3 / 2
        let encoder = try MPEGAudioEncoder(channels: channels, sampleRate: rate, bitrate: bitrate)
        #expect(encoder.bitrate == bitrate)
        let stream = encoder.encodeFile(samples: Self.sine(frames: frames, rate: rate, channels: channels))
        let samplesPerFrame = rate >= 32_000 ? 1152 : 576
        let parsed = Self.mpegFrames(stream)
        #expect(parsed.last.map { $0.offset + $0.length } == stream.count)
        // The first frame is the Info frame; every audio frame has the requested bitrate.
        let audio = parsed.dropFirst()
        #expect(audio.allSatisfy { $0.bitrate == bitrate })
        #expect(audio.count == Self.mpegAudioFrameCount(frames: frames, samplesPerFrame: samplesPerFrame))
        let decodable = audio.count * samplesPerFrame - 1057
        #expect(decodable >= frames && decodable < frames + samplesPerFrame)
    }

    /// Reads big-endian bit fields, as MPEG headers and side info are laid out.
    struct BitReader {
        let bytes: [UInt8]
        var position: Int

        mutating func read(_ count: Int) -> Int {
            var value = 0
            for _ in 0..<count {
                value = value << 1 | Int(bytes[position / 8] >> (7 - UInt8(position % 8)) & 1)
                position += 1
            }
            return value
        }
    }

    @Test(arguments: [(44_100, 1, 128), (48_000, 2, 192), (32_000, 2, 32), (22_050, 1, 64), (24_000, 2, 160), (16_000, 2, 8)])
    func mpegHeadersAndSideInfoDescribeLayerIIIFramesThatHoldTheirMainData(rate: Int, channels: Int, bitrate: Int) throws {
        let frames = rate
        let stream = try MPEGAudioEncoder(channels: channels, sampleRate: rate, bitrate: bitrate)
            .encodeFile(samples: Self.sine(frames: frames, rate: rate, channels: channels, frequency: 1000))
        let isMPEG1 = rate >= 32_000
        let bitrates = isMPEG1
            ? [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
            : [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
        let rateIndex = [44_100: 0, 48_000: 1, 32_000: 2, 22_050: 0, 24_000: 1, 16_000: 2][rate]
        let granules = isMPEG1 ? 2 : 1
        let sideInfoBytes = isMPEG1 ? (channels == 1 ? 17 : 32) : (channels == 1 ? 9 : 17)
        let numerator = (isMPEG1 ? 144_000 : 72_000) * bitrate
        // The Info frame (checked on its own below) starts the padding sequence when it has the
        // stream's bitrate; a larger one for a tag that would not fit stands outside it.
        let info = try #require(Self.mpegFrames(stream).first)
        var offset = info.length
        let sequenceStart = info.bitrate == bitrate ? 0 : info.length
        var count = info.bitrate == bitrate ? 1 : 0
        var audioFrames = 0
        while offset < stream.count {
            var reader = BitReader(bytes: stream, position: offset * 8)
            #expect(reader.read(11) == 0x7FF, "sync at \(offset)")
            #expect(reader.read(2) == (isMPEG1 ? 0b11 : 0b10))  // MPEG-1 or MPEG-2
            #expect(reader.read(2) == 0b01)  // Layer III
            #expect(reader.read(1) == 1)  // no CRC
            #expect(bitrates[reader.read(4)] == bitrate)
            #expect(reader.read(2) == rateIndex)
            let padding = reader.read(1)
            _ = reader.read(1)  // private
            #expect(reader.read(2) == (channels == 1 ? 0b11 : 0b00))
            _ = reader.read(6)  // mode extension, copyright, original, emphasis
            let length = numerator / rate + padding
            count += 1
            audioFrames += 1
            // Padding slots keep the stream at the exact bitrate: after n frames, ⌊n · numerator / rate⌋ bytes.
            #expect(offset - sequenceStart + length == count * numerator / rate, "frame \(count) length")

            #expect(reader.read(isMPEG1 ? 9 : 8) == 0)  // main_data_begin: no bit reservoir
            _ = reader.read(isMPEG1 ? (channels == 1 ? 5 : 3) + 4 * channels : channels)  // private bits, scfsi
            var mainData = 0
            for _ in 0..<(granules * channels) {
                let part23 = reader.read(12)
                mainData += part23
                #expect(reader.read(9) <= 288)  // big_values
                _ = reader.read(8)  // global_gain
                #expect(reader.read(isMPEG1 ? 4 : 9) == 0)  // scalefac_compress: no scale factors
                #expect(reader.read(1) == 0)  // window_switching_flag: long blocks
                for _ in 0..<3 { #expect(![4, 14].contains(reader.read(5)), "no such Huffman table") }
                let region0 = reader.read(4)
                let region1 = reader.read(3)
                #expect(region0 + region1 <= 20)
                _ = reader.read(isMPEG1 ? 3 : 2)  // preflag (MPEG-1), scalefac_scale, count1table_select
            }
            #expect(reader.position == (offset + 4 + sideInfoBytes) * 8)
            #expect(mainData <= (length - 4 - sideInfoBytes) * 8, "main data of frame \(count) overflows it")
            #expect(mainData > 0, "frame \(count) codes no spectrum for a tone")
            offset += length
        }
        #expect(offset == stream.count)
        #expect(audioFrames == Self.mpegAudioFrameCount(frames: frames, samplesPerFrame: 576 * granules))
    }

    /// CRC-16/ARC bit by bit, independent of the encoder's table: what ffmpeg checks the LAME tag with.
    static func crc16ARC(_ bytes: some Sequence<UInt8>) -> Int {
        var crc = 0
        for byte in bytes {
            crc ^= Int(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1 }
        }
        return crc
    }

    @Test func lameTagCRCIsCRC16ARC() {
        #expect(Self.crc16ARC(Array("123456789".utf8)) == 0xBB3D)
        #expect(LayerIIIInfoTag.crc16(Array("123456789".utf8)) == 0xBB3D)
    }

    @Test(arguments: [(44_100, 2, 128), (48_000, 1, 32), (32_000, 2, 32), (22_050, 1, 64), (24_000, 2, 160), (16_000, 2, 8), (16_000, 1, 40)])
    func mpegInfoFrameCarriesFrameCountBytesDelayAndPadding(rate: Int, channels: Int, bitrate: Int) throws {
        let frames = rate + 123
        let stream = try MPEGAudioEncoder(channels: channels, sampleRate: rate, bitrate: bitrate)
            .encodeFile(samples: Self.sine(frames: frames, rate: rate, channels: channels))
        let isMPEG1 = rate >= 32_000
        let samplesPerFrame = isMPEG1 ? 1152 : 576
        let parsed = Self.mpegFrames(stream)
        let info = try #require(parsed.first)
        #expect(parsed.last.map { $0.offset + $0.length } == stream.count)

        // Its own frame, the stream's bitrate if the tag fits in that, else the lowest that holds it.
        let start = 4 + (isMPEG1 ? (channels == 1 ? 17 : 32) : (channels == 1 ? 9 : 17))
        let perKbit = isMPEG1 ? 144_000 : 72_000
        let fits = perKbit * bitrate / rate >= start + 156
        #expect(fits ? info.bitrate == bitrate : info.bitrate > bitrate && perKbit * info.bitrate / rate >= start + 156)
        #expect(stream[4..<start].allSatisfy { $0 == 0 }, "side info zeroed")
        #expect(stream[(start + 156)..<info.length].allSatisfy { $0 == 0 })

        var reader = BitReader(bytes: stream, position: start * 8)
        #expect(Array(stream[start..<(start + 4)]) == Array("Info".utf8))
        reader.position += 32
        #expect(reader.read(32) == 0x0F)  // frames, bytes, TOC, quality
        let frameCount = reader.read(32)
        #expect(frameCount == parsed.count - 1)
        #expect(frameCount == Self.mpegAudioFrameCount(frames: frames, samplesPerFrame: samplesPerFrame))
        #expect(reader.read(32) == stream.count)
        reader.position += (100 + 4) * 8  // TOC, quality

        #expect(Array(stream[(start + 120)..<(start + 124)]) == Array("LAME".utf8))
        reader.position += (9 + 1 + 1 + 8 + 1) * 8  // version, revision/method, lowpass, ReplayGain, flags
        #expect(reader.read(8) == min(bitrate, 255))
        let delay = reader.read(12)
        let padding = reader.read(12)
        // ffmpeg and LAME's convention: the field leaves out the decoder's own 529 samples.
        #expect(delay == 1057 - 529)
        #expect(delay + frames + padding == frameCount * samplesPerFrame)
        reader.position += (1 + 1 + 2) * 8  // misc, MP3 gain, preset
        #expect(reader.read(32) == stream.count)  // music length
        #expect(reader.read(16) == Self.crc16ARC(stream[info.length...]))  // music CRC
        #expect(reader.position == (start + 154) * 8)
        #expect(reader.read(16) == Self.crc16ARC(stream[0..<(start + 154)]))  // tag CRC
    }

    /// Typos in the 257 typed-in values of table C.1 would show: the standard's values are whole
    /// multiples of 2⁻²¹ printed to nine decimals, and the window's magnitude is symmetric.
    @Test func polyphaseAnalysisWindowIsTheStandardsTable() {
        let window = MPEGAudioTables.analysisWindow
        #expect(window.count == 512)
        let unit = 1.0 / 2_097_152  // 2⁻²¹
        let offGrid = window.indices.filter { abs(window[$0] / unit - (window[$0] / unit).rounded()) > 0.002 }
        #expect(offGrid.isEmpty, "not multiples of 2⁻²¹: \(offGrid.prefix(5))")
        #expect(window[256] == 0.035780907 && window.allSatisfy { abs($0) <= window[256] })
        #expect((1..<512).allSatisfy { abs(window[$0]) == abs(window[512 - $0]) })
        // Signs as printed: C[1] < 0, C[64] > 0, C[448] > 0, C[511] > 0.
        #expect(window[1] < 0 && window[64] > 0 && window[448] > 0 && window[511] > 0)
    }

    @Test func mpegSilenceCodesNoSpectralData() throws {
        let stream = try MPEGAudioEncoder(channels: 1, sampleRate: 44_100).encodeFile(samples: [Int16](repeating: 0, count: 4608))
        // (4608 + 1057) / 1152 → 5 audio frames after the Info frame; 144 · 128000 / 44100 = 417.96,
        // so all but the first are padded.
        #expect(stream.count == 6 * 417 + 5)
        var offset = 0
        while offset < stream.count {
            var reader = BitReader(bytes: stream, position: (offset + 4) * 8 + 18)
            #expect(reader.read(12) == 0)  // part2_3_length, granule 0
            #expect(reader.read(9) == 0)  // big_values
            let padding = Int((stream[offset + 2] >> 1) & 1)
            offset += 417 + padding
        }
    }

    @Test func layerIIIHuffmanTablesAreCompletePrefixCodes() {
        // 16...23 and 24...31 share the codes of 16 and 24.
        var tables: [(codes: [Int], lengths: [Int])] = [1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 24].compactMap { select in
            LayerIIIHuffmanTables.pairTables[select].map { ($0.codes.map(Int.init), $0.lengths.map(Int.init)) }
        }
        #expect(tables.count == 15)
        tables.append((LayerIIIHuffmanTables.quadCodesA.map(Int.init), LayerIIIHuffmanTables.quadLengthsA.map(Int.init)))
        for (number, table) in tables.enumerated() {
            // Kraft sum exactly 1 and no code a prefix of another: a complete prefix code.
            let kraft = table.lengths.reduce(0.0) { $0 + pow(2, -Double($1)) }
            #expect(kraft == 1, "table #\(number)")
            var clashes: [String] = []
            for first in table.codes.indices {
                if table.codes[first] >= 1 << table.lengths[first] { clashes.append("code \(first) is longer than its length") }
                for second in table.codes.indices where second != first && table.lengths[second] >= table.lengths[first] {
                    let prefix = table.codes[second] >> (table.lengths[second] - table.lengths[first])
                    if prefix == table.codes[first] { clashes.append("code \(first) prefixes code \(second)") }
                }
            }
            #expect(clashes.isEmpty, "table #\(number): \(clashes.prefix(3))")
        }
    }

    @Test func mpegRejectsRatesItCannotCarry() {
        #expect(throws: MPEGAudioEncoder.ConfigurationError.unsupportedSampleRate(8_000)) {
            try MPEGAudioEncoder(channels: 1, sampleRate: 8_000)
        }
    }

    @Test func resamplingKeepsDurationAndPitch() {
        let input = Self.sine(frames: 44_100, rate: 44_100, frequency: 1000)
        let output = Resampler(from: 44_100, to: 16_000).resample(input, channels: 1)
        #expect(output.count == 16_000)
        var crossings = 0
        for index in 1..<output.count where (output[index - 1] < 0) != (output[index] < 0) { crossings += 1 }
        #expect(abs(crossings - 2000) <= 2)
        let peak = output[1000..<15_000].map { abs(Int($0)) }.max() ?? 0
        #expect(abs(peak - 9830) < 200)
    }
}
