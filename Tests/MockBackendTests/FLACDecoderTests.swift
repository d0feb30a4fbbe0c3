import Foundation
@testable import MockAudio
import SynapseCore
import Testing

/// `FLACDecoder` against streams from our own encoder, from ffmpeg's FLAC encoder (native and Ogg,
/// every prediction and stereo mode it offers), from sox (libFLAC), and against
/// hand-built frames for the corners no encoder here produces (escape codes, 32-bit side channels…).
/// Every lossless case must come back sample for sample.
@Suite struct FLACDecoderTests {
    // MARK: Our own encoder

    @Test(arguments: [(1, 8_000, 16), (1, 22_050, 1_152), (2, 44_100, 4_096), (2, 48_000, 576), (3, 16_000, 4_608), (2, 96_000, 65_535)])
    func roundTripsOurEncoder(channels: Int, rate: Int, blockSize: Int) throws {
        let input = Self.signal(frames: 20_011, channels: channels, rate: rate, bits: 16).map { Int16($0) }
        let file = FLACEncoder(channels: channels, sampleRate: rate, blockSize: blockSize).encodeFile(samples: input)
        let decoded = try FLACDecoder.decode(file)
        #expect(decoded.channels == channels && decoded.sampleRate == rate)
        Self.expectEqual(decoded.samples, input)
    }

    @Test func roundTripsSilenceAndFullScale() throws {
        // CONSTANT subframes, and the extremes of the 16-bit range through FIXED predictors.
        var input = [Int16](repeating: 0, count: 2 * 5_000)
        for index in 0..<2_000 { input[2 * index + 1] = index % 2 == 0 ? .max : .min }
        let decoded = try FLACDecoder.decode(FLACEncoder(channels: 2, sampleRate: 44_100).encodeFile(samples: input))
        Self.expectEqual(decoded.samples, input)
    }

    @Test func skipsID3v2TagPictureAndPadding() throws {
        let input = Self.signal(frames: 9_000, channels: 2, rate: 44_100, bits: 16).map { Int16($0) }
        let encoder = FLACEncoder(channels: 2, sampleRate: 44_100, blockSize: 1_024)
        let picture = [UInt8](repeating: 0xFF, count: 300_000)  // looks like frame syncs; must be skipped by length
        var blocks = encoder.metadataBlocks(samples: input)
        blocks += [(6, picture), (1, [UInt8](repeating: 0, count: 8_192))]
        var file = ID3v2.tag([("TIT2", "tagged")]) + Array("fLaC".utf8)
        for (index, block) in blocks.enumerated() {
            file += encoder.metadataHeader(type: block.type, length: block.body.count, isLast: index == blocks.count - 1) + block.body
        }
        for frame in encoder.encodeFrames(samples: input) { file += frame }
        file += Array("TAG".utf8) + [UInt8](repeating: 0x20, count: 125)  // ID3v1 at the end
        Self.expectEqual(try FLACDecoder.decode(file).samples, input)
    }

    // MARK: ffmpeg

    /// Stereo 16-bit at 44.1 kHz through ffmpeg's encoder with each of these option sets.
    static let ffmpegOptionSets: [[String]] = [
        ["-compression_level", "0"],
        ["-compression_level", "5"],
        ["-compression_level", "12"],  // LPC up to order 32
        ["-lpc_type", "none"],
        ["-lpc_type", "fixed"],
        ["-lpc_type", "levinson", "-lpc_coeff_precision", "15"],
        ["-lpc_type", "cholesky", "-lpc_passes", "3"],
        ["-ch_mode", "indep"],
        ["-ch_mode", "left_side"],
        ["-ch_mode", "right_side"],
        ["-ch_mode", "mid_side"],
        ["-min_partition_order", "0", "-max_partition_order", "8", "-exact_rice_parameters", "1"],
        ["-prediction_order_method", "search", "-max_prediction_order", "12"],
        ["-prediction_order_method", "8level", "-lpc_coeff_precision", "5"],
        ["-multi_dim_quant", "1", "-max_prediction_order", "2"],  // slow in ffmpeg beyond low orders
        ["-frame_size", "192"],
        ["-frame_size", "576"],
        ["-frame_size", "4608"],
        ["-frame_size", "256"],
        ["-frame_size", "32768"],
        ["-frame_size", "100"],  // block size in 8 bits at the end of the header
        ["-frame_size", "1000"],  // … in 16 bits
    ]

    @Test(arguments: ffmpegOptionSets)
    func decodesFFmpegStereo16Bit(options: [String]) throws {
        let input = Self.signal(frames: 44_100 + 777, channels: 2, rate: 44_100, bits: 16)
        let file = try Self.ffmpeg(Self.rawS16(input), format: "s16le", rate: 44_100, channels: 2, options: options)
        let decoded = try FLACDecoder.decode(file)
        #expect(decoded.channels == 2 && decoded.sampleRate == 44_100)
        Self.expectEqual(decoded.samples, input.map { Int16($0) })
    }

    /// Rates with their own header code, and rates that need the 8-bit kHz, 16-bit Hz or 16-bit
    /// tens-of-Hz field at the end of the header (ffmpeg picks the shortest description).
    @Test(arguments: [8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 48_000, 88_200, 96_000, 176_400, 192_000, 7_350, 64_000, 123_450])
    func decodesFFmpegMonoAtEveryRateCode(rate: Int) throws {
        let input = Self.signal(frames: rate / 4 + 13, channels: 1, rate: rate, bits: 16)
        let file = try Self.ffmpeg(Self.rawS16(input), format: "s16le", rate: rate, channels: 1, options: ["-compression_level", "8"])
        let decoded = try FLACDecoder.decode(file)
        #expect(decoded.channels == 1 && decoded.sampleRate == rate)
        Self.expectEqual(decoded.samples, input.map { Int16($0) })
    }

    @Test(arguments: [["-compression_level", "0"], ["-compression_level", "8"], ["-compression_level", "12", "-ch_mode", "mid_side"]])
    func decodesFFmpeg24Bit(options: [String]) throws {
        let input = Self.signal(frames: 30_000, channels: 2, rate: 96_000, bits: 24)
        // ffmpeg takes 24-bit audio as the top 24 bits of 32-bit samples.
        let raw = Self.rawS32(input.map { $0 << 8 })
        let file = try Self.ffmpeg(raw, format: "s32le", rate: 96_000, channels: 2, options: ["-sample_fmt", "s32", "-bits_per_raw_sample", "24"] + options)
        let decoded = try FLACDecoder.decode(file)
        Self.expectEqual(decoded.samples, input.map { Int16($0 >> 8) })
    }

    @Test(arguments: [1, 2, 6])
    func decodesFFmpegOggFLAC(channels: Int) throws {
        let input = Self.signal(frames: 40_000, channels: channels, rate: 48_000, bits: 16)
        let file = try Self.ffmpeg(Self.rawS16(input), format: "s16le", rate: 48_000, channels: channels, options: ["-compression_level", "5"], container: "ogg")
        #expect(Array(file.prefix(4)) == Array("OggS".utf8))
        let decoded = try FLACDecoder.decode(file)
        #expect(decoded.channels == channels && decoded.sampleRate == 48_000)
        Self.expectEqual(decoded.samples, input.map { Int16($0) })
    }

    @Test func decodesFFmpegOgg24Bit() throws {
        let input = Self.signal(frames: 20_000, channels: 2, rate: 44_100, bits: 24)
        let options = ["-sample_fmt", "s32", "-bits_per_raw_sample", "24", "-compression_level", "8"]
        let file = try Self.ffmpeg(Self.rawS32(input.map { $0 << 8 }), format: "s32le", rate: 44_100, channels: 2, options: options, container: "ogg")
        Self.expectEqual(try FLACDecoder.decode(file).samples, input.map { Int16($0 >> 8) })
    }

    // MARK: sox (libFLAC)

    /// libFLAC also uses the rate codes ffmpeg never writes (88.2, 176.4 and 192 kHz).
    @Test(arguments: [(16, "0", 44_100), (16, "5", 88_200), (16, "8", 44_100), (24, "8", 176_400), (24, "3", 192_000), (8, "5", 22_050)])
    func decodesSoxLibFLAC(bits: Int, level: String, rate: Int) throws {
        let input = Self.signal(frames: 33_333, channels: 2, rate: rate, bits: bits)
        let raw: [UInt8]
        switch bits {
        case 8: raw = input.map { UInt8(bitPattern: Int8($0)) }
        case 24: raw = input.flatMap { value in (0..<3).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        default: raw = Self.rawS16(input)
        }
        let arguments = ["-t", "raw", "-r", "\(rate)", "-e", "signed-integer", "-b", "\(bits)", "-c", "2", "IN", "-C", level, "OUT"]
        let file = try Self.run(Self.sox, arguments: arguments, input: raw, outputName: "out.flac")
        let expected = input.map { Int16(bits >= 16 ? $0 >> Int64(bits - 16) : $0 << Int64(16 - bits)) }
        Self.expectEqual(try FLACDecoder.decode(file).samples, expected)
    }

    // MARK: Damage

    @Test func damagedFramesThrow() throws {
        let input = Self.signal(frames: 20_000, channels: 2, rate: 44_100, bits: 16)
        let file = try Self.ffmpeg(Self.rawS16(input), format: "s16le", rate: 44_100, channels: 2, options: ["-compression_level", "5"])
        let frameStarts = Self.frameStarts(file)
        try #require(frameStarts.count >= 4)
        // The stored CRC-16 of frame 1, and a byte of frame 2's header (covered by its CRC-8).
        var badCRC16 = file
        badCRC16[frameStarts[2] - 1] ^= 0x5A
        #expect(throws: FLACDecoder.Failure.self) { try FLACDecoder.decode(badCRC16) }
        do throws(FLACDecoder.Failure) {
            _ = try FLACDecoder.decode(badCRC16)
        } catch {
            #expect(error.reason.contains("frame 1") && error.reason.contains("CRC-16"), "\(error.reason)")
        }
        var badHeader = file
        badHeader[frameStarts[2] + 4] ^= 0x01
        do throws(FLACDecoder.Failure) {
            _ = try FLACDecoder.decode(badHeader)
            Issue.record("a damaged frame header decoded")
        } catch {
            #expect(error.reason.contains("CRC-8"), "\(error.reason)")
        }
        // Any single changed byte inside a frame's audio is caught.
        for position in stride(from: frameStarts[1] + 8, to: frameStarts[3] - 2, by: 97) {
            var damaged = file
            damaged[position] ^= 0x10
            #expect(throws: FLACDecoder.Failure.self, "byte \(position)") { try FLACDecoder.decode(damaged) }
        }
    }

    @Test func truncatedStreamsThrow() throws {
        let input = Self.signal(frames: 20_000, channels: 2, rate: 44_100, bits: 16)
        let native = try Self.ffmpeg(Self.rawS16(input), format: "s16le", rate: 44_100, channels: 2, options: [])
        for length in [3, 20, native.count / 2, Self.frameStarts(native).last!, native.count - 1] {
            #expect(throws: FLACDecoder.Failure.self, "cut at \(length)") { try FLACDecoder.decode(Array(native.prefix(length))) }
        }
        let ogg = try Self.ffmpeg(Self.rawS16(input), format: "s16le", rate: 44_100, channels: 2, options: [], container: "ogg")
        #expect(throws: FLACDecoder.Failure.self) { try FLACDecoder.decode(Array(ogg.prefix(ogg.count * 2 / 3))) }
        var damagedOgg = ogg
        damagedOgg[ogg.count / 2] ^= 0x04
        #expect(throws: FLACDecoder.Failure.self) { try FLACDecoder.decode(damagedOgg) }
        #expect(throws: FLACDecoder.Failure.self) { try FLACDecoder.decode(Array("RIFF....WAVE".utf8)) }
    }

    // MARK: Hand-built streams

    @Test func variableBlockSizes12BitWastedBitsAndEscapedPartitions() throws {
        // 12-bit mono at 12 kHz (rate in kHz after the header), variable blocking with sample numbers.
        let samples = Self.signal(frames: 100 + 192 + 64, channels: 1, rate: 12_000, bits: 12)
        var stream = StreamBuilder(rate: 12_000, channels: 1, bits: 12, minBlock: 64, maxBlock: 192, total: 356)
        // Block 1: 100 samples (8-bit size code), VERBATIM with 2 wasted bits.
        let first = samples[0..<100].map { $0 & ~3 }
        stream.frame(number: 0, variable: true, sizeCode: 6, size: 100, rateCode: 12, rateExtra: (12, 8), channelCode: 0, depthCode: 2) { w in
            w.write(0b0_000001_1, bits: 8)
            w.writeUnary(1)  // wasted bits - 1
            for value in first { w.writeSigned(Int(value >> 2), bits: 10) }
        }
        // Block 2: 192 samples (code 1), FIXED order 2, four partitions, two of them escaped.
        let second = Array(samples[100..<292])
        stream.frame(number: 100, variable: true, sizeCode: 1, size: 192, rateCode: 12, rateExtra: (12, 8), channelCode: 0, depthCode: 2) { w in
            w.write(0b0_001010_0, bits: 8)
            for value in second.prefix(2) { w.writeSigned(Int(value), bits: 12) }
            let residual = FLACSubframe.residuals(second.map { Int32($0) }, order: 2)
            w.write(0b00, bits: 2)
            w.write(2, bits: 4)  // partition order 2: 48 samples each (46 in the first)
            var position = 0
            for partition in 0..<4 {
                let count = partition == 0 ? 46 : 48
                let values = residual[position..<position + count]
                if partition % 2 == 1 {
                    w.write(0b1111, bits: 4)  // escape
                    w.write(15, bits: 5)
                    for value in values { w.writeSigned(Int(value), bits: 15) }
                } else {
                    Self.writeRice(values, parameter: 7, to: &w)
                }
                position += count
            }
        }
        // Block 3: 64 samples (code 6 would do; use 16-bit code 7), LPC order 2 with zero partition order.
        let third = Array(samples[292..<356])
        stream.frame(number: 292, variable: true, sizeCode: 7, size: 64, rateCode: 0, rateExtra: nil, channelCode: 0, depthCode: 0) { w in
            Self.writeLPC(third, coefficients: [29, -13], precision: 7, shift: 4, bits: 12, to: &w)
        }
        let decoded = try FLACDecoder.decode(stream.bytes)
        #expect(decoded.sampleRate == 12_000)
        Self.expectEqual(decoded.samples, first.map { Int16($0 << 4) } + (second + third).map { Int16($0 << 4) })
    }

    @Test func twentyBitMidSideWithRice2AndLPC() throws {
        let samples = Self.signal(frames: 1_152, channels: 2, rate: 44_100, bits: 20)
        let left = stride(from: 0, to: samples.count, by: 2).map { samples[$0] }
        let right = stride(from: 1, to: samples.count, by: 2).map { samples[$0] }
        let mid = zip(left, right).map { ($0 + $1) >> 1 }
        let side = zip(left, right).map { $0 - $1 }
        var stream = StreamBuilder(rate: 44_100, channels: 2, bits: 20, minBlock: 1_152, maxBlock: 1_152, total: 1_152)
        stream.frame(number: 0, variable: false, sizeCode: 3, size: 1_152, rateCode: 9, rateExtra: nil, channelCode: 10, depthCode: 5) { w in
            Self.writeLPC(mid, coefficients: [1_500, -700, 150], precision: 12, shift: 10, bits: 20, rice2: true, to: &w)
            Self.writeLPC(side, coefficients: [3_000, -1_100], precision: 13, shift: 11, bits: 21, rice2: true, to: &w)
        }
        Self.expectEqual(try FLACDecoder.decode(stream.bytes).samples, samples.map { Int16($0 >> 4) })
    }

    @Test func thirtyTwoBitLeftSideAndSideRight() throws {
        // Extreme values: the side channel needs all 33 bits.
        let left: [Int64] = [Int64(Int32.max), Int64(Int32.min), 123_456_789, -1, 0, Int64(Int32.max) - 5, 40_000, -2_000_000_000]
        let right: [Int64] = [Int64(Int32.min), Int64(Int32.max), -987_654_321, 1, 0, Int64(Int32.min) + 9, -40_000, 2_000_000_000]
        let side = zip(left, right).map { $0 - $1 }
        var stream = StreamBuilder(rate: 44_100, channels: 2, bits: 32, minBlock: 16, maxBlock: 16, total: 16)
        for (number, code) in [(0, 8), (1, 9)] {
            stream.frame(number: UInt64(number), variable: false, sizeCode: 6, size: 8, rateCode: 0, rateExtra: nil, channelCode: code, depthCode: 7) { w in
                let (a, aBits, b, bBits) = code == 8 ? (left, 32, side, 33) : (side, 33, right, 32)
                w.write(0b0_000001_0, bits: 8)
                for value in a { w.write(UInt64(bitPattern: value), bits: aBits) }
                w.write(0b0_000001_0, bits: 8)
                for value in b { w.write(UInt64(bitPattern: value), bits: bBits) }
            }
        }
        let expected = zip(left, right).flatMap { [Int16($0 >> 16), Int16($1 >> 16)] }
        Self.expectEqual(try FLACDecoder.decode(stream.bytes).samples, expected + expected)
    }

    @Test func fourBitConstantAndLPCOrder32() throws {
        let samples = Self.signal(frames: 4_096, channels: 1, rate: 8_000, bits: 16)
        var stream = StreamBuilder(rate: 8_000, channels: 1, bits: 4, minBlock: 4_096, maxBlock: 4_096, total: 8_192)
        stream.frame(number: 0, variable: false, sizeCode: 12, size: 4_096, rateCode: 4, rateExtra: nil, channelCode: 0, depthCode: 0) { w in
            w.write(0b0_000000_0, bits: 8)
            w.writeSigned(-5, bits: 4)
        }
        var coefficients = [Int64](repeating: 0, count: 32)
        coefficients[0] = 1 << 13
        coefficients[31] = 3
        var sixteen = StreamBuilder(rate: 8_000, channels: 1, bits: 16, minBlock: 4_096, maxBlock: 4_096, total: 4_096)
        sixteen.frame(number: 0, variable: false, sizeCode: 12, size: 4_096, rateCode: 4, rateExtra: nil, channelCode: 0, depthCode: 4) { w in
            Self.writeLPC(samples, coefficients: coefficients, precision: 15, shift: 13, bits: 16, partitionOrder: 4, to: &w)
        }
        // The 4-bit stream's second frame is missing: STREAMINFO says 8192 samples.
        #expect(throws: FLACDecoder.Failure.self) { try FLACDecoder.decode(stream.bytes) }
        stream.frame(number: 1, variable: false, sizeCode: 12, size: 4_096, rateCode: 4, rateExtra: nil, channelCode: 0, depthCode: 0) { w in
            w.write(0b0_000000_0, bits: 8)
            w.writeSigned(7, bits: 4)
        }
        let decoded = try FLACDecoder.decode(stream.bytes)
        Self.expectEqual(decoded.samples, [Int16](repeating: -5 << 12, count: 4_096) + [Int16](repeating: 7 << 12, count: 4_096))
        Self.expectEqual(try FLACDecoder.decode(sixteen.bytes).samples, samples.map { Int16($0) })
    }

    @Test func negativeLPCShiftIsRejected() throws {
        var stream = StreamBuilder(rate: 8_000, channels: 1, bits: 16, minBlock: 16, maxBlock: 16, total: 16)
        stream.frame(number: 0, variable: false, sizeCode: 6, size: 16, rateCode: 4, rateExtra: nil, channelCode: 0, depthCode: 4) { w in
            w.write(0b0_100000_0, bits: 8)  // LPC order 1
            w.writeSigned(100, bits: 16)
            w.write(14, bits: 4)  // precision 15
            w.writeSigned(-2, bits: 5)  // shift -2
            w.writeSigned(1, bits: 15)
            w.write(0, bits: 2)
            w.write(0, bits: 4)
            Self.writeRice([Int64](repeating: 0, count: 15)[...], parameter: 0, to: &w)
        }
        do throws(FLACDecoder.Failure) {
            _ = try FLACDecoder.decode(stream.bytes)
            Issue.record("negative shift accepted")
        } catch {
            #expect(error.reason.contains("negative LPC shift"), "\(error.reason)")
        }
    }

    // MARK: Speed

    @Test func decodesThirtySecondsQuickly() throws {
        let input = Self.signal(frames: 30 * 44_100, channels: 2, rate: 44_100, bits: 16)
        let file = try Self.ffmpeg(Self.rawS16(input), format: "s16le", rate: 44_100, channels: 2, options: ["-compression_level", "5"])
        let clock = ContinuousClock()
        var decoded: WAVFile?
        let elapsed = try clock.measure { decoded = try FLACDecoder.decode(file) }
        print("FLACDecoder: 30 s of 44.1 kHz stereo (\(file.count) bytes) in \(elapsed)")
        #expect(decoded?.samples.count == input.count)
        // Well under a second even in a debug build on a shared machine.
        #expect(elapsed < .seconds(1))
    }
}

// MARK: - Helpers

extension FLACDecoderTests {
    static let ffmpeg = "/usr/bin/ffmpeg"
    static let sox = "/usr/bin/sox"

    /// A tone mix plus deterministic noise per channel, `bits` deep, interleaved.
    static func signal(frames: Int, channels: Int, rate: Int, bits: Int) -> [Int64] {
        let peak = Double((Int64(1) << Int64(bits - 1)) - 1)
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(bits * 31 + channels)
        var samples: [Int64] = []
        samples.reserveCapacity(frames * channels)
        for index in 0..<frames {
            let time = Double(index) / Double(rate)
            for channel in 0..<channels {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let noise = Double(Int64(bitPattern: seed) >> 11) / Double(1 << 52)  // -1...1
                let tone = 0.45 * sin(2 * .pi * 220 * Double(channel + 1) * time) + 0.25 * sin(2 * .pi * 1_375.5 * time + Double(channel))
                    + 0.1 * sin(2 * .pi * 31 * time)
                let value = (tone + 0.08 * noise) * peak
                samples.append(Int64(max(-peak - 1, min(peak, value.rounded()))))
            }
        }
        return samples
    }

    static func rawS16(_ samples: [Int64]) -> [UInt8] {
        samples.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
    }

    static func rawS32(_ samples: [Int64]) -> [UInt8] {
        samples.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    }

    /// Compares without dumping a million samples when they differ.
    static func expectEqual(_ decoded: [Int16], _ expected: [Int16], sourceLocation: SourceLocation = #_sourceLocation) {
        guard decoded != expected else { return }
        let first = (0..<min(decoded.count, expected.count)).first { decoded[$0] != expected[$0] }
        let detail = first.map { "first difference at \($0): \(decoded[$0]) ≠ \(expected[$0])" } ?? "lengths \(decoded.count) ≠ \(expected.count)"
        Issue.record("decoded samples differ: \(detail)", sourceLocation: sourceLocation)
    }

    /// Offsets of frames in a native stream whose frames all share one header length (the CRC-8
    /// confirms each sync, so audio bytes that happen to look like one are not counted).
    static func frameStarts(_ file: [UInt8]) -> [Int] {
        var starts: [Int] = []
        for offset in 42..<max(42, file.count - 16) where file[offset] == 0xFF && file[offset + 1] == 0xF8 {
            if (5...9).contains(where: { AudioChecksum.crc8(file[offset..<offset + $0]) == file[offset + $0] }) { starts.append(offset) }
        }
        return starts
    }

    /// Encodes raw PCM with ffmpeg's FLAC encoder; fails (not skips) without ffmpeg.
    static func ffmpeg(_ raw: [UInt8], format: String, rate: Int, channels: Int, options: [String], container: String = "flac") throws -> [UInt8] {
        try #require(FileManager.default.isExecutableFile(atPath: ffmpeg), "ffmpeg is missing at \(ffmpeg): run scripts/setup.sh to install it")
        let arguments = ["-nostdin", "-v", "error", "-f", format, "-ar", "\(rate)", "-ac", "\(channels)", "-i", "IN", "-c:a", "flac"] + options
            + ["-f", container, "-y", "OUT"]
        return try run(ffmpeg, arguments: arguments, input: raw, outputName: "out.\(container)")
    }

    /// Runs an encoder (`IN`/`OUT` stand for the files) and returns its output file.
    static func run(_ executable: String, arguments: [String], input: [UInt8], outputName: String) throws -> [UInt8] {
        let run = try ExternalTool.run(executable, arguments, input: input, inputName: "in.raw", outputName: outputName)
        try #require(run.status == 0, "\(executable) \(arguments.joined(separator: " ")) failed: \(run.errors)")
        return run.output
    }

    // MARK: Hand-built frames

    static func writeRice(_ values: ArraySlice<Int64>, parameter: Int, to writer: inout BitWriter) {
        writer.write(UInt64(parameter), bits: 4)
        writeRiceCodes(values, parameter: parameter, to: &writer)
    }

    static func writeRiceCodes(_ values: ArraySlice<Int64>, parameter: Int, to writer: inout BitWriter) {
        for value in values {
            let folded = FLACSubframe.zigzag(value)
            writer.writeUnary(Int(folded >> UInt64(parameter)))
            writer.write(folded & ((1 << UInt64(parameter)) - 1), bits: parameter)
        }
    }

    /// An LPC subframe of `samples` with the given quantised predictor and one Rice parameter per partition.
    static func writeLPC(
        _ samples: [Int64], coefficients: [Int64], precision: Int, shift: Int, bits: Int, rice2: Bool = false, partitionOrder: Int = 0,
        to writer: inout BitWriter
    ) {
        let order = coefficients.count
        writer.write(0, bits: 1)
        writer.write(UInt64(31 + order), bits: 6)
        writer.write(0, bits: 1)
        for value in samples.prefix(order) { writer.writeSigned(Int(value), bits: bits) }
        writer.write(UInt64(precision - 1), bits: 4)
        writer.writeSigned(shift, bits: 5)
        for value in coefficients { writer.writeSigned(Int(value), bits: precision) }
        var residual: [Int64] = []
        for index in order..<samples.count {
            var sum: Int64 = 0
            for (j, coefficient) in coefficients.enumerated() { sum += coefficient * samples[index - 1 - j] }
            residual.append(samples[index] - (sum >> Int64(shift)))
        }
        writer.write(rice2 ? 1 : 0, bits: 2)
        writer.write(UInt64(partitionOrder), bits: 4)
        let partitionSize = samples.count >> partitionOrder
        var position = 0
        for partition in 0..<(1 << partitionOrder) {
            let count = partition == 0 ? partitionSize - order : partitionSize
            let values = residual[position..<position + count]
            let mean = values.reduce(UInt64(0)) { $0 + FLACSubframe.zigzag($1) } / UInt64(max(1, count))
            let parameter = min(rice2 ? 30 : 14, max(0, 63 - max(mean, 1).leadingZeroBitCount))
            writer.write(UInt64(parameter), bits: rice2 ? 5 : 4)
            writeRiceCodes(values, parameter: parameter, to: &writer)
            position += count
        }
    }

    /// Builds a native stream frame by frame with arbitrary header codes.
    struct StreamBuilder {
        var bytes: [UInt8]

        init(rate: Int, channels: Int, bits: Int, minBlock: Int, maxBlock: Int, total: UInt64) {
            var info = BitWriter()
            info.write(UInt64(minBlock), bits: 16)
            info.write(UInt64(maxBlock), bits: 16)
            info.write(0, bits: 48)
            info.write(UInt64(rate), bits: 20)
            info.write(UInt64(channels - 1), bits: 3)
            info.write(UInt64(bits - 1), bits: 5)
            info.write(total, bits: 36)
            info.write(0, bits: 64)
            info.write(0, bits: 64)
            bytes = Array("fLaC".utf8) + [0x80, 0, 0, 34] + info.bytes
        }

        mutating func frame(
            number: UInt64, variable: Bool, sizeCode: Int, size: Int, rateCode: Int, rateExtra: (value: Int, bits: Int)?, channelCode: Int,
            depthCode: Int, subframes: (inout BitWriter) -> Void
        ) {
            var writer = BitWriter()
            writer.write(0b11_1111_1111_1110, bits: 14)
            writer.write(0, bits: 1)
            writer.write(variable ? 1 : 0, bits: 1)
            writer.write(UInt64(sizeCode), bits: 4)
            writer.write(UInt64(rateCode), bits: 4)
            writer.write(UInt64(channelCode), bits: 4)
            writer.write(UInt64(depthCode), bits: 3)
            writer.write(0, bits: 1)
            writer.append(bytes: FLACEncoder.utf8Coded(number))
            if sizeCode == 6 { writer.write(UInt64(size - 1), bits: 8) }
            if sizeCode == 7 { writer.write(UInt64(size - 1), bits: 16) }
            if let rateExtra { writer.write(UInt64(rateExtra.value), bits: rateExtra.bits) }
            writer.append(bytes: [AudioChecksum.crc8(writer.bytes)])
            subframes(&writer)
            writer.alignToByte()
            writer.write(UInt64(AudioChecksum.crc16(writer.bytes)), bits: 16)
            bytes += writer.bytes
        }
    }
}
