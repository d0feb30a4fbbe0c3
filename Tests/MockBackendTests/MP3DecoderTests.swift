import Foundation
@testable import MockAudio
import SynapseCore
import Testing

/// `MP3Decoder` against ffmpeg on files LAME (ffmpeg's libmp3lame) made: both decode the same
/// bits, so beyond rounding their outputs must agree, sample for sample, at the same length.
@Suite struct MP3DecoderTests {
    /// A tone mix with deterministic noise; `transients` adds clicks and noise bursts so that LAME
    /// switches to short blocks.
    static func signal(frames: Int, rate: Int, channels: Int, transients: Bool = false) -> [Int16] {
        var samples: [Int16] = []
        samples.reserveCapacity(frames * channels)
        var seed: UInt32 = 0x1234_5678
        func noise() -> Double {
            seed = seed &* 1_664_525 &+ 1_013_904_223
            return Double(Int32(bitPattern: seed)) / Double(Int32.max)
        }
        for index in 0..<frames {
            let time = Double(index) / Double(rate)
            var left = 0.25 * sin(2 * .pi * 440 * time) + 0.12 * sin(2 * .pi * 1_250 * time) + 0.05 * sin(2 * .pi * 3_100 * time) + 0.03 * noise()
            // Mostly the left channel again, as in most music, so that LAME codes mid/side.
            var right = 0.85 * left + 0.04 * sin(2 * .pi * 660 * time) + 0.01 * noise()
            if transients {
                // Every 0.25 s: a click, then a 20 ms noise burst decaying fast; silence-ish between.
                let phase = index % (rate / 4)
                left *= 0.2
                right *= 0.2
                if phase < rate / 50 {
                    let envelope = exp(-Double(phase) / Double(rate / 400))
                    left += 0.7 * envelope * noise()
                    right += 0.6 * envelope * noise()
                }
                if phase == 0 { left = 0.9; right = -0.9 }
            }
            samples.append(Int16(max(-32767, min(32767, 32767 * left))))
            if channels == 2 { samples.append(Int16(max(-32767, min(32767, 32767 * right)))) }
        }
        return samples
    }

    /// Encodes raw PCM with ffmpeg's libmp3lame; `options` are the codec settings.
    static func lame(_ samples: [Int16], rate: Int, channels: Int, options: [String]) throws -> [UInt8] {
        try ReferenceDecoder.encode(samples, rate: rate, channels: channels, codec: ["-c:a", "libmp3lame"] + options, outputName: "out.mp3")
    }

    /// Granules per block type (2 split into pure short and mixed as 4) and how many frames use
    /// mid/side and intensity stereo: what a file exercises.
    static func census(_ bytes: [UInt8]) -> (blockTypes: [Int: Int], midSide: Int, intensity: Int, reservoir: Int) {
        var offset = ID3v2.end(of: bytes)
        var blockTypes: [Int: Int] = [:]
        var midSide = 0, intensity = 0, reservoir = 0
        while let header = MPEGFrameHeader(bytes, at: offset), offset + header.length <= bytes.count {
            let bands = LayerIIIScaleFactorBands(sampleRate: header.sampleRate)!
            let sideStart = offset + 4 + (header.hasCRC ? 2 : 0)
            if let side = try? LayerIIISideInfo(Array(bytes[sideStart..<offset + header.mainDataOffset]), header: header, bands: bands) {
                for info in side.granules.joined() { blockTypes[info.hasShortBlocks && info.mixedBlock ? 4 : info.blockType, default: 0] += 1 }
                if side.mainDataBegin > 0 { reservoir += 1 }
            }
            if header.mode == 1 && header.modeExtension & 2 != 0 { midSide += 1 }
            if header.mode == 1 && header.modeExtension & 1 != 0 { intensity += 1 }
            offset += header.length
        }
        return (blockTypes, midSide, intensity, reservoir)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let rate: Int
        let channels: Int
        let options: [String]
        var transients = false
        var seconds = 2.0
        var testDescription: String { name }
    }

    static let lameCases: [Case] = [
        Case(name: "CBR 128k stereo 44.1 kHz (joint stereo)", rate: 44_100, channels: 2, options: ["-b:a", "128k"]),
        Case(name: "VBR -q:a 2 stereo 44.1 kHz", rate: 44_100, channels: 2, options: ["-q:a", "2"]),
        Case(name: "CBR 32k mono 22.05 kHz (MPEG-2)", rate: 22_050, channels: 1, options: ["-b:a", "32k"]),
        Case(name: "CBR 64k stereo 24 kHz (MPEG-2 joint stereo)", rate: 24_000, channels: 2, options: ["-b:a", "64k"]),
        Case(name: "CBR 24k mono 16 kHz (MPEG-2)", rate: 16_000, channels: 1, options: ["-b:a", "24k"]),
        Case(name: "CBR 16k mono 8 kHz (MPEG-2.5)", rate: 8_000, channels: 1, options: ["-b:a", "16k"]),
        Case(name: "VBR stereo 11.025 kHz (MPEG-2.5)", rate: 11_025, channels: 2, options: ["-q:a", "4"]),
        Case(name: "CBR 160k stereo 48 kHz, transients (short blocks)", rate: 48_000, channels: 2, options: ["-b:a", "160k"], transients: true),
        Case(name: "CBR 128k stereo 44.1 kHz, transients (short blocks)", rate: 44_100, channels: 2, options: ["-b:a", "128k"], transients: true),
        Case(name: "CBR 32k mono 22.05 kHz, transients (LSF short blocks)", rate: 22_050, channels: 1, options: ["-b:a", "32k"], transients: true),
        Case(name: "CBR 96k stereo 32 kHz", rate: 32_000, channels: 2, options: ["-b:a", "96k"]),
    ]

    @Test(arguments: lameCases)
    func decodesLAMEOutputLikeFFmpeg(_ testCase: Case) throws {
        let frames = Int(Double(testCase.rate) * testCase.seconds)
        let input = Self.signal(frames: frames, rate: testCase.rate, channels: testCase.channels, transients: testCase.transients)
        let file = try Self.lame(input, rate: testCase.rate, channels: testCase.channels, options: testCase.options)
        let reference = try ReferenceDecoder.decode(file, fileExtension: "mp3", channels: testCase.channels)
        #expect(reference.exitStatus == 0)
        let decoded = try MP3Decoder.decode(file)
        #expect(decoded.channels == testCase.channels)
        #expect(decoded.sampleRate == testCase.rate)
        #expect(decoded.samples.count == reference.samples.count, "\(decoded.samples.count) samples, ffmpeg \(reference.samples.count)")
        #expect(decoded.samples.count == input.count, "gapless: \(decoded.samples.count) samples for \(input.count)")
        let census = Self.census(file)
        var figures: [String] = []
        for channel in 0..<testCase.channels {
            let snr = ReferenceDecoder.compare(input: reference.samples, decoded: decoded.samples, channels: testCase.channels, channel: channel).snr
            figures.append(String(format: "%.1f", snr))
            #expect(snr >= 60, "channel \(channel): SNR \(snr) dB against ffmpeg")
        }
        print("MP3DecoderTests \(testCase.name): SNR vs ffmpeg \(figures.joined(separator: "/")) dB; blocks \(census.blockTypes.sorted { $0.key < $1.key }), M/S frames \(census.midSide), reservoir frames \(census.reservoir)")
        if testCase.transients { #expect((census.blockTypes[2] ?? 0) + (census.blockTypes[4] ?? 0) > 0, "no short blocks in \(census.blockTypes)") }
        if testCase.channels == 2 && testCase.rate == 44_100 && !testCase.transients { #expect(census.midSide > 0, "LAME used no mid/side stereo") }
        #expect(census.reservoir > 0, "the bit reservoir was never used")
    }

    /// Our own encoder: its Info frame makes the output exactly as long as the input.
    @Test(arguments: [(44_100, 2, 192), (44_100, 1, 128), (22_050, 2, 96), (16_000, 1, 64), (48_000, 2, 160), (32_000, 1, 96)])
    func roundTripsMPEGAudioEncoder(rate: Int, channels: Int, bitrate: Int) throws {
        let frames = rate * 3 / 2
        let input = MPEGDecodingTests.toneMix(frames: frames, rate: rate, channels: channels)
        let file = try MPEGAudioEncoder(channels: channels, sampleRate: rate, bitrate: bitrate).encodeFile(samples: input)
        let decoded = try MP3Decoder.decode(file)
        #expect(decoded.samples.count == input.count)
        for channel in 0..<channels {
            let snr = ReferenceDecoder.compare(input: input, decoded: decoded.samples, channels: channels, channel: channel).snr
            print("MP3DecoderTests MPEGAudioEncoder \(rate) Hz \(channels) ch \(bitrate)k: channel \(channel) SNR vs input \(String(format: "%.1f", snr)) dB")
            #expect(snr >= 40, "channel \(channel): SNR \(snr) dB")
        }
    }

    /// libmp3lame cannot be asked for CRCs through ffmpeg, so the encoder's frames are rewritten:
    /// protection bit cleared, the standard's CRC-16 (0x8005, initial 0xFFFF, over the header's last
    /// two bytes and the side info) inserted, two bytes of the zero padding at the end dropped.
    @Test func crcProtectedFramesDecodeLikeUnprotectedOnes() throws {
        let input = MPEGDecodingTests.toneMix(frames: 30_000, rate: 44_100, channels: 2)
        let plain = try MPEGAudioEncoder(channels: 2, sampleRate: 44_100, bitrate: 192).encodeFile(samples: input)
        var protected: [UInt8] = []
        var offset = 0
        var converted = 0
        while let header = MPEGFrameHeader(plain, at: offset) {
            let frame = Array(plain[offset..<offset + header.length])
            if offset > 0 && frame.suffix(2) == [0, 0] {
                var rewritten = frame
                rewritten[1] &= 0xFE
                let sideInfo = frame[4..<4 + header.sideInfoSize]
                var crc: UInt16 = 0xFFFF
                for byte in [frame[2], frame[3]] + sideInfo {
                    for bit in (0..<8).reversed() {
                        let feedback = (crc >> 15) ^ UInt16((byte >> UInt8(bit)) & 1)
                        crc = (crc << 1) ^ (feedback == 1 ? 0x8005 : 0)
                    }
                }
                rewritten = Array(rewritten[0..<4]) + [UInt8(crc >> 8), UInt8(crc & 0xFF)] + Array(frame[4..<frame.count - 2])
                protected += rewritten
                converted += 1
            } else {
                protected += frame
            }
            offset += header.length
        }
        #expect(converted > 15, "\(converted) frames carry a CRC")
        let expected = try MP3Decoder.decode(plain)
        let decoded = try MP3Decoder.decode(protected)
        #expect(decoded.samples == expected.samples)
        let reference = try ReferenceDecoder.decode(protected, fileExtension: "mp3", channels: 2)
        #expect(reference.samples.count == decoded.samples.count)
        let snr = ReferenceDecoder.compare(input: reference.samples, decoded: decoded.samples, channels: 2).snr
        #expect(snr >= 60, "SNR \(snr) dB against ffmpeg")
    }

    /// LAME does not use intensity stereo, so ffmpeg cannot check it here: the split is checked on
    /// a made-up MPEG-1 granule instead. Above the right channel's last non-zero line, is_pos 3
    /// (tan π/4 = 1) halves the left channel's lines, is_pos 7 means "not intensity" (left as it
    /// is), and band 21, which has no scale factor, takes band 20's position.
    @Test func mpeg1IntensityStereoSplitsAboveTheRightChannelsLastLine() {
        let bands = LayerIIIScaleFactorBands(sampleRate: 44_100)!
        let info = LayerIIIGranuleInfo()
        let layout = LayerIIIRequantizer.layout(info, bands: bands, isMPEG1: true)
        var left = [Double](repeating: 1, count: 576)
        var right = [Double](repeating: 0, count: 576)
        right[99] = 0.25  // band 13 (90..<110)
        var factors = LayerIIIScaleFactors()
        for band in 0..<21 { factors.long[band] = 3 }
        factors.long[15] = 7
        factors.long[20] = 6
        LayerIIIStereo.process(left: &left, right: &right, count: 576, midSide: false, intensity: true, layout: layout, rightFactors: factors, isMPEG1: true)
        #expect(left[99] == 1 && right[99] == 0.25)  // below the bound: plain L/R
        #expect(abs(left[120] - 0.5) < 1e-12 && abs(right[120] - 0.5) < 1e-12)  // band 14, is_pos 3
        #expect(left[140] == 1 && right[140] == 0)  // band 15, is_pos 7
        #expect(left[500] == 1 && abs(right[500]) < 1e-12)  // band 21 takes band 20's is_pos 6: all left
    }

    @Test func anID3v2TagIsSkipped() throws {
        let input = MPEGDecodingTests.toneMix(frames: 8_000, rate: 16_000, channels: 1)
        let stream = try MPEGAudioEncoder(channels: 1, sampleRate: 16_000, bitrate: 64).encodeFile(samples: input)
        let plain = try MP3Decoder.decode(stream)
        let tagged = try MP3Decoder.decode(ID3v2.tag([("TIT2", "Hello")]) + stream)
        #expect(tagged.samples == plain.samples)
    }

    /// Without the Info frame every decoded sample comes out: the input 1,057 samples late.
    @Test func withoutAnInfoFrameEverythingIsReturned() throws {
        let input = MPEGDecodingTests.toneMix(frames: 20_000, rate: 44_100, channels: 1)
        let stream = try MPEGAudioEncoder(channels: 1, sampleRate: 44_100, bitrate: 128).encodeFile(samples: input)
        let first = try #require(MPEGFrameHeader(stream, at: 0))
        let audio = Array(stream[first.length...])
        let decoded = try MP3Decoder.decode(audio)
        var frames = 0
        var offset = 0
        while let header = MPEGFrameHeader(audio, at: offset) {
            frames += 1
            offset += header.length
        }
        #expect(decoded.samples.count == frames * 1152)
        let snr = ReferenceDecoder.compare(input: input, decoded: decoded.samples, channels: 1, delay: MPEGAudioEncoder.decoderDelay).snr
        #expect(snr >= 40, "SNR \(snr) dB")
    }

    /// A stream cut so that the first frame's main data lies before it: that frame is silence and
    /// the rest decodes.
    @Test func aReservoirReachingBeforeTheFirstFrameDecodesAsSilence() throws {
        let input = Self.signal(frames: 44_100, rate: 44_100, channels: 2)
        let file = try Self.lame(input, rate: 44_100, channels: 2, options: ["-b:a", "128k"])
        // Find a frame with main_data_begin > 0 after the Info frame and start the stream there.
        var offset = ID3v2.end(of: file)
        var cut: Int?
        while let header = MPEGFrameHeader(file, at: offset), cut == nil {
            let side = try LayerIIISideInfo(Array(file[(offset + 4)..<(offset + header.mainDataOffset)]), header: header,
                                            bands: LayerIIIScaleFactorBands(sampleRate: 44_100)!)
            if offset > 0 && side.mainDataBegin > 0 && header.infoTag(in: file, at: offset) == nil { cut = offset }
            offset += header.length
        }
        let start = try #require(cut)
        let decoded = try MP3Decoder.decode(Array(file[start...]))
        #expect(decoded.samples.prefix(1152 * 2).allSatisfy { $0 == 0 })
        #expect(decoded.samples.contains { $0 != 0 })
    }

    @Test(arguments: [
        ("RIFF....WAVEfmt not an mp3", "no MPEG audio Layer III frame found"),
        ("", "empty input"),
    ])
    func nonMP3BytesThrow(text: String, reason: String) {
        #expect(throws: MP3Decoder.Failure.self) { try MP3Decoder.decode(Array(text.utf8)) }
        do {
            _ = try MP3Decoder.decode(Array(text.utf8))
        } catch {
            #expect(error.reason.contains(reason), "\(error.reason)")
        }
    }

    @Test func randomBytesAndOtherLayersThrow() throws {
        var seed: UInt32 = 7
        let random = (0..<10_000).map { _ -> UInt8 in
            seed = seed &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: seed >> 24)
        }
        #expect(throws: MP3Decoder.Failure.self) { try MP3Decoder.decode(random.map { $0 == 0xFF ? 0 : $0 }) }
        // A Layer II header (layer bits 10) repeated.
        let layerII = (0..<10).flatMap { _ in [0xFF, 0xFD, 0x90, 0x00] + [UInt8](repeating: 0, count: 413) }
        do {
            _ = try MP3Decoder.decode(layerII)
            Issue.record("Layer II decoded")
        } catch {
            #expect(error.reason.contains("Layer II"), "\(error.reason)")
        }
    }

    /// A frame whose side info is damaged (big_values over 288) is reported, not decoded as noise.
    @Test func damagedSideInfoThrows() throws {
        let input = MPEGDecodingTests.toneMix(frames: 8_000, rate: 44_100, channels: 1)
        var stream = try MPEGAudioEncoder(channels: 1, sampleRate: 44_100, bitrate: 128).encodeFile(samples: input)
        let info = try #require(MPEGFrameHeader(stream, at: 0))
        // big_values follows main_data_begin (9), private bits (5), scfsi (4), part2_3_length (12).
        let side = info.length + 4
        stream[side + 3] |= 0x03
        stream[side + 4] = 0xFF
        #expect(throws: MP3Decoder.Failure.self) { try MP3Decoder.decode(stream) }
    }

    /// 30 s of 44.1 kHz stereo: the mocks decode uploads inline, so even a debug build must be quick.
    @Test func decodesThirtySecondsQuickly() throws {
        let input = Self.signal(frames: 44_100 * 30, rate: 44_100, channels: 2)
        let file = try Self.lame(input, rate: 44_100, channels: 2, options: ["-b:a", "128k"])
        let clock = ContinuousClock()
        var decoded: WAVFile?
        let elapsed = try clock.measure { decoded = try MP3Decoder.decode(file) }
        print("MP3DecoderTests 30 s of 44.1 kHz stereo decoded in \(elapsed)")
        #expect(decoded?.samples.count == input.count)
        #expect(elapsed < .seconds(10), "took \(elapsed)")
    }
}
