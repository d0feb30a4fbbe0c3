import Foundation
import Testing

@testable import MockAudio

/// The CELT-only Opus encoder: entropy coder primitives against an independent decoder written
/// from RFC 6716 §4.1, the PVQ codeword index against the RFC's decoding procedure, the Ogg Opus
/// framing, and ffmpeg decoding the result back to the input waveform.
@Suite struct OpusEncoderTests {
    /// The decoder side of RFC 6716 §4.1, only as much as the tests need.
    struct RangeDecoder {
        let bytes: [UInt8]
        var position = 0
        var endPosition = 0
        var endWindow: UInt32 = 0
        var endBits = 0
        var range: UInt32 = 128
        var value: UInt32
        var remainder: Int
        var totalBits = 9
        var pendingScale: UInt32 = 0

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            remainder = bytes.isEmpty ? 0 : Int(bytes[0])
            position = 1
            value = 127 - UInt32(remainder >> 1)
            normalize()
        }

        var tell: Int { totalBits - OpusRangeEncoder.ilog(range) }

        private mutating func nextByte() -> Int {
            defer { position += 1 }
            return position < bytes.count ? Int(bytes[position]) : 0
        }

        private mutating func normalize() {
            while range <= 1 << 23 {
                totalBits += 8
                range <<= 8
                let previous = remainder
                remainder = nextByte()
                let symbol = ((previous << 8) | remainder) >> 1
                value = ((value << 8) &+ UInt32(255 & ~symbol)) & 0x7FFF_FFFF
            }
        }

        /// The count within `total` that the next symbol's interval contains.
        mutating func decode(total: UInt32) -> UInt32 {
            pendingScale = range / total
            return total - min(value / pendingScale + 1, total)
        }

        mutating func update(_ low: UInt32, _ high: UInt32, total: UInt32) {
            let s = pendingScale * (total - high)
            value -= s
            range = low > 0 ? pendingScale * (high - low) : range - s
            normalize()
        }

        mutating func decodeBit(logp: Int) -> Bool {
            let r = range >> UInt32(logp)
            let bit = value < r
            if bit { range = r } else { value -= r; range -= r }
            normalize()
            return bit
        }

        mutating func decodeICDF(_ icdf: [UInt8], bits: Int) -> Int {
            let r = range >> UInt32(bits)
            var symbol = -1
            var upper = range
            var lower = range
            repeat {
                upper = lower
                symbol += 1
                lower = r * UInt32(icdf[symbol])
            } while value < lower
            value -= lower
            range = upper - lower
            normalize()
            return symbol
        }

        mutating func decodeRawBits(_ count: Int) -> UInt32 {
            while endBits < count {
                let byte = endPosition < bytes.count ? bytes[bytes.count - 1 - endPosition] : 0
                endPosition += 1
                endWindow |= UInt32(byte) << UInt32(endBits)
                endBits += 8
            }
            let result = endWindow & ((1 << UInt32(count)) - 1)
            endWindow >>= UInt32(count)
            endBits -= count
            totalBits += count
            return result
        }

        mutating func decodeUniform(total: UInt64) -> UInt32 {
            let top = UInt32(total - 1)
            let bits = OpusRangeEncoder.ilog(top)
            if bits > 8 {
                let shift = bits - 8
                let headTotal = (top >> UInt32(shift)) + 1
                let head = decode(total: headTotal)
                update(head, head + 1, total: headTotal)
                return head << UInt32(shift) | decodeRawBits(shift)
            }
            let symbol = decode(total: top + 1)
            update(symbol, symbol + 1, total: top + 1)
            return symbol
        }

        /// CELT's Laplace model (RFC 6716 §4.3.2.1), decoder side.
        mutating func decodeLaplace(probability: Int, decay: Int) -> Int {
            let found = Int(decode(total: 32768))
            var low = 0
            var size = probability
            var result = 0
            if found >= size {
                result = 1
                low = size
                size = (((32768 - 32 - probability) * (16384 - decay)) >> 15) + 1
                while size > 1 && found >= low + 2 * size {
                    size *= 2
                    low += size
                    size = (((size - 2) * decay) >> 15) + 1
                    result += 1
                }
                if size <= 1 {
                    let extra = (found - low) >> 1
                    result += extra
                    low += 2 * extra
                }
                if found < low + size { result = -result } else { low += size }
            }
            update(UInt32(low), UInt32(min(low + size, 32768)), total: 32768)
            return result
        }
    }

    @Test func rangeCoderPrimitivesRoundTrip() {
        var encoder = OpusRangeEncoder(capacity: 200)
        var generator = XorShift(seed: 7)
        enum Symbol { case bit(Bool, Int), icdf(Int), uniform(UInt32, UInt64), raw(UInt32, Int), laplace(Int) }
        let icdf: [UInt8] = [126, 124, 119, 109, 87, 41, 19, 9, 4, 2, 0]
        var symbols: [Symbol] = []
        var tells: [Int] = []
        for _ in 0..<120 {
            let symbol: Symbol
            switch generator.next() % 5 {
            case 0: symbol = .bit(generator.next() % 3 == 0, Int(generator.next() % 15) + 1)
            case 1: symbol = .icdf(Int(generator.next() % 11))
            case 2:
                let total = UInt64(generator.next() % 5_000_000) + 2
                symbol = .uniform(UInt32(UInt64(generator.next()) % total), total)
            case 3: symbol = .raw(UInt32(generator.next() % 32), 5)
            default: symbol = .laplace(Int(generator.next() % 9) - 4)
            }
            switch symbol {
            case .bit(let bit, let logp): encoder.encodeBit(bit, logp: logp)
            case .icdf(let value): encoder.encodeICDF(value, icdf, bits: 7)
            case .uniform(let value, let total): encoder.encodeUniform(value, total: total)
            case .raw(let value, let count): encoder.encodeRawBits(value, count: count)
            case .laplace(let value): _ = CELTEnergyCoder.encodeLaplace(value, probability: 72 << 7, decay: 127 << 6, coder: &encoder)
            }
            symbols.append(symbol)
            tells.append(encoder.tell)
        }
        let finalRange = encoder.range
        let bytes = encoder.finish()
        #expect(bytes.count == 200)
        var decoder = RangeDecoder(bytes)
        for (index, symbol) in symbols.enumerated() {
            switch symbol {
            case .bit(let bit, let logp): #expect(decoder.decodeBit(logp: logp) == bit, "symbol \(index)")
            case .icdf(let value): #expect(decoder.decodeICDF(icdf, bits: 7) == value, "symbol \(index)")
            case .uniform(let value, let total): #expect(decoder.decodeUniform(total: total) == value, "symbol \(index)")
            case .raw(let value, let count): #expect(decoder.decodeRawBits(count) == value, "symbol \(index)")
            case .laplace(let value): #expect(decoder.decodeLaplace(probability: 72 << 7, decay: 127 << 6) == value, "symbol \(index)")
            }
            #expect(decoder.tell == tells[index], "tell after symbol \(index)")
        }
        #expect(decoder.range == finalRange)
    }

    @Test func tellFracCountsEighthBits() {
        var encoder = OpusRangeEncoder(capacity: 16)
        #expect(encoder.tell == 1 && encoder.tellFrac == 8)
        // A probability-1/2 symbol costs exactly one bit, eight eighths.
        encoder.encodeBit(true, logp: 1)
        #expect(encoder.tellFrac == 16)
        encoder.encodeBit(true, logp: 3)
        #expect(encoder.tellFrac == 40)
        encoder.encodeRawBits(5, count: 3)
        #expect(encoder.tellFrac == 64 && encoder.tell == 8)
    }

    /// The index follows RFC 6716 §4.3.4.2's decoding procedure: decoding every index of a small
    /// codebook gives back the vector that was indexed, and every vector has its own index.
    @Test func pvqIndexInvertsTheRFCDecoding() {
        let v = CELTPyramidVectorQuantizer.codebookSizes
        #expect(v[2][1] == 4 && v[3][2] == 18 && v[4][3] == 88)
        func decode(_ index: UInt64, n: Int, k: Int) -> [Int] {
            var i = index
            var k = k
            var y: [Int] = []
            for j in 0..<n {
                let rest = n - j - 1
                var p = (v[rest][k] + v[rest + 1][k]) / 2
                var sign = 1
                if i >= p { sign = -1; i -= p }
                let k0 = k
                p -= v[rest][k]
                while p > i { k -= 1; p -= v[rest][k] }
                y.append(sign * (k0 - k))
                i -= p
            }
            return y
        }
        for (n, k) in [(2, 3), (3, 4), (5, 2), (8, 5)] {
            var seen = Set<UInt64>()
            for index in 0..<v[n][k] {
                let vector = decode(index, n: n, k: k)
                #expect(vector.reduce(0) { $0 + abs($1) } == k)
                let coded = CELTPyramidVectorQuantizer.index(of: vector)
                #expect(coded.index == index && coded.count == v[n][k])
                seen.insert(coded.index)
            }
            #expect(seen.count == Int(v[n][k]))
        }
    }

    @Test func pvqSearchPlacesExactlyKPulsesAlongTheSignal() {
        let x: [Float] = [0.9, -0.3, 0.1, 0, -0.2, 0.05, 0.25, -0.02]
        for k in [1, 3, 8, 20] {
            let y = CELTPyramidVectorQuantizer.search(x, pulses: k)
            #expect(y.reduce(0) { $0 + abs($1) } == k)
            #expect(zip(x, y).allSatisfy { $1 == 0 || ($0 < 0) == ($1 < 0) })
        }
        #expect(CELTPyramidVectorQuantizer.search(x, pulses: 1) == [1, 0, 0, 0, 0, 0, 0, 0])
    }

    /// A constant-bitrate stream: every packet is a CELT-only fullband 20 ms mono frame (TOC 0xF8)
    /// of `bitrate / 400` bytes, enough packets to cover pre-skip plus input.
    @Test func packetsHaveTheTOCAndConstantSize() {
        let samples = Self.floats(VorbisEncoderTests.toneMix(frames: 10_000, rate: 48_000, channels: 1))
        for (bitrate, size) in [(64_000, 160), (128_000, 320), (24_000, 60)] {
            let packets = OpusEncoder(bitrate: bitrate).encodePackets(samples48k: samples)
            #expect(packets.count == (312 + 10_000 + 959) / 960)
            #expect(packets.allSatisfy { $0.count == size && $0[0] == 0xF8 })
        }
        #expect(OpusEncoder(bitrate: 1_000_000).packetSize == 1276)
        let a = OpusEncoder().encodePackets(samples48k: samples)
        #expect(a == OpusEncoder().encodePackets(samples48k: samples), "deterministic")
    }

    @Test func oggOpusHeadersAndGranulePositions() throws {
        let samples = Self.floats(VorbisEncoderTests.toneMix(frames: 30_001, rate: 48_000, channels: 1))
        let packets = OpusEncoder().encodePackets(samples48k: samples)
        let writer = OggOpusWriter(serialNumber: 42, inputSampleRate: 24_000, vendor: "test vendor", comments: [("TITLE", "héllo"), ("ARTIST", "x")])
        let file = writer.file(packets: packets, sampleCount: samples.count)
        let pages = VorbisEncoderTests.pages(file)
        let parsed = VorbisEncoderTests.packets(pages)
        try #require(parsed.count == packets.count + 2)
        let head = parsed[0].bytes
        #expect(head.count == 19)
        #expect(Array(head[0..<8]) == Array("OpusHead".utf8))
        #expect(head[8] == 1 && head[9] == 1)
        #expect(Int(head[10]) | Int(head[11]) << 8 == 312)
        #expect(head[12..<16].reversed().reduce(0) { $0 << 8 | Int($1) } == 24_000)
        #expect(Array(head[16..<19]) == [0, 0, 0])
        let tags = parsed[1].bytes
        #expect(Array(tags[0..<8]) == Array("OpusTags".utf8))
        #expect(String(decoding: tags[12..<23], as: UTF8.self) == "test vendor")
        #expect(String(decoding: tags, as: UTF8.self).contains("TITLE=héllo"))
        // Headers alone on their pages; audio granules count 48 kHz samples, pre-skip included.
        #expect(parsed[0].page == 0 && parsed[1].page == 1 && pages[0].flags == 2 && pages[0].granule == 0 && pages[1].granule == 0)
        #expect(pages.last?.flags == 4 && pages.allSatisfy { $0.serial == 42 })
        #expect(pages.enumerated().allSatisfy { $0.element.sequence == UInt32($0.offset) })
        for page in pages.dropFirst(2) {
            let last = parsed.lastIndex { $0.page == pages.firstIndex { $0.sequence == page.sequence }! }!
            let expected = last == parsed.count - 1 ? 312 + 30_001 : (last - 1) * 960
            #expect(page.granule == Int64(expected))
        }
        #expect(Array(parsed.dropFirst(2).map(\.bytes)) == packets)
    }

    /// ffmpeg decodes the stream without complaint to exactly the input's length, and the waveform
    /// comes back: a sign error in the transform, a wrong pulse count or desynchronised bit
    /// allocation would leave the band energies right but wreck the SNR.
    @Test(arguments: [(64_000, 20.0), (128_000, 25.0)])
    func ffmpegReproducesAToneMix(bitrate: Int, minimumSNR: Double) throws {
        let input = VorbisEncoderTests.toneMix(frames: 48_000, rate: 48_000, channels: 1)
        let packets = OpusEncoder(bitrate: bitrate).encodePackets(samples48k: Self.floats(input))
        let file = OggOpusWriter(serialNumber: 1, inputSampleRate: 48_000, vendor: "test", comments: []).file(packets: packets, sampleCount: input.count)
        let decoded = try ReferenceDecoder.decode(file, fileExtension: "opus", channels: 1)
        #expect(decoded.errors.isEmpty, "\(decoded.errors)")
        #expect(decoded.exitStatus == 0)
        #expect(decoded.samples.count == input.count)
        let result = ReferenceDecoder.compare(input: input, decoded: decoded.samples, channels: 1)
        #expect(result.snr > minimumSNR, "SNR \(result.snr) dB at \(bitrate) bit/s")
        #expect(abs(20 * log10(result.level)) < 1, "level \(result.level)")
    }

    /// The mock speech, as Chatterbox serves it: 24 kHz resampled to 48 kHz, 64 kbit/s.
    @Test func ffmpegReproducesMockSpeech() throws {
        let speech = MockSpeech.samples(text: "The quick brown fox jumps over the lazy dog", voice: "Emily.wav")
        let input = Resampler(from: MockSpeech.sampleRate, to: 48_000).resample(speech, channels: 1)
        let packets = OpusEncoder().encodePackets(samples48k: Self.floats(input))
        let file = OggOpusWriter(serialNumber: 1, inputSampleRate: 24_000, vendor: "test", comments: []).file(packets: packets, sampleCount: input.count)
        let decoded = try ReferenceDecoder.decode(file, fileExtension: "opus", channels: 1)
        #expect(decoded.errors.isEmpty, "\(decoded.errors)")
        #expect(decoded.samples.count == input.count)
        let result = ReferenceDecoder.compare(input: input, decoded: decoded.samples, channels: 1)
        #expect(result.snr > 12, "SNR \(result.snr) dB")
        #expect(abs(20 * log10(result.level)) < 1, "level \(result.level)")
    }

    static func floats(_ samples: [Int16]) -> [Float] { samples.map { Float($0) / 32768 } }

    /// Deterministic, so the round trip covers the same symbols each run.
    struct XorShift {
        var state: UInt64
        init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }
}
