import Foundation
import MockAudio
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
        let file = OggFLACEncoder(channels: 1, sampleRate: 16_000).encodeFile(samples: Self.sine(frames: 20_000, rate: 16_000))
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
        #expect(Array(file[28..<33]) == [0x7F] + Array("FLAC".utf8))
    }

    @Test(arguments: [(48_000, 1, 64), (44_100, 2, 128), (32_000, 1, 32), (16_000, 1, 32), (22_050, 2, 96)])
    func mpegFramesHaveTheRequestedBitrateAndDuration(rate: Int, channels: Int, bitrate: Int) throws {
        let frames = rate * 3 / 2
        let encoder = try MPEGAudioEncoder(channels: channels, sampleRate: rate, bitrate: bitrate)
        #expect(encoder.bitrate == bitrate)
        let stream = encoder.encodeFile(samples: Self.sine(frames: frames, rate: rate, channels: channels))
        var offset = 0
        var count = 0
        while offset + 4 <= stream.count {
            #expect(stream[offset] == 0xFF && stream[offset + 1] & 0xE0 == 0xE0, "sync at \(offset)")
            #expect((stream[offset + 1] >> 1) & 0x03 == 0b10)  // Layer II
            let padding = Int((stream[offset + 2] >> 1) & 1)
            offset += 144_000 * bitrate / rate + padding
            count += 1
        }
        #expect(offset == stream.count)
        #expect(count == (frames + 1151) / 1152)
        let duration = Double(count * 1152) / Double(rate)
        #expect(abs(duration - 1.5) < 1152.0 / Double(rate))
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
