/// The fields of STREAMINFO a decoder needs (RFC 9639 §8.2).
struct FLACStreamInfo: Equatable {
    var minBlockSize: Int
    var maxBlockSize: Int
    var sampleRate: Int
    var channels: Int
    var bitsPerSample: Int
    /// Samples per channel in the whole stream; 0 when the encoder did not know.
    var totalSamples: UInt64

    /// Parses the 34-byte block body.
    init(_ body: ArraySlice<UInt8>) throws(FLACDecoder.Failure) {
        guard body.count >= 34 else { throw FLACDecoder.Failure("STREAMINFO is \(body.count) bytes, needs 34") }
        let b = Array(body.prefix(18))
        minBlockSize = Int(b[0]) << 8 | Int(b[1])
        maxBlockSize = Int(b[2]) << 8 | Int(b[3])
        sampleRate = Int(b[10]) << 12 | Int(b[11]) << 4 | Int(b[12]) >> 4
        channels = Int(b[12] >> 1 & 0x07) + 1
        bitsPerSample = (Int(b[12] & 1) << 4 | Int(b[13]) >> 4) + 1
        totalSamples = UInt64(b[13] & 0x0F) << 32 | UInt64(b[14]) << 24 | UInt64(b[15]) << 16 | UInt64(b[16]) << 8 | UInt64(b[17])
        guard sampleRate > 0 else { throw FLACDecoder.Failure("STREAMINFO sample rate is 0") }
        guard bitsPerSample >= 4 else { throw FLACDecoder.Failure("STREAMINFO declares \(bitsPerSample) bits per sample (4–32 allowed)") }
    }
}

/// Decodes FLAC frames (RFC 9639 §9) one after another into interleaved 16-bit samples.
///
/// Holds what carries over between frames: the stream's parameters, a sample buffer reused by every
/// frame (allocating per frame would dominate short-block streams), the numbering expected next, and
/// the output so far.
struct FLACFrameDecoder {
    let streamInfo: FLACStreamInfo
    /// Decoded samples, all channels interleaved, in `output[0..<outputCount]` (the rest is room to grow).
    private var output: [Int16] = []
    private var outputCount = 0
    /// Frames decoded so far.
    private(set) var frameCount = 0
    /// Samples per channel decoded so far.
    private(set) var sampleCount: UInt64 = 0

    /// Channel `c` of the current frame occupies `c * capacity ..< c * capacity + blockSize`.
    private var samples: [Int64] = []
    private var capacity = 0
    private var variableBlockSize: Bool?
    private var expectedNumber: UInt64?

    /// `inputSize` (bytes of the whole stream) bounds what a STREAMINFO length alone can make us allocate.
    init(streamInfo: FLACStreamInfo, inputSize: Int) {
        self.streamInfo = streamInfo
        // Sized once when STREAMINFO knows the length, so it never grows; a declared length far beyond
        // what the bytes could plausibly hold is left to grow as frames actually arrive.
        let declared = streamInfo.totalSamples.multipliedReportingOverflow(by: UInt64(streamInfo.channels))
        if streamInfo.totalSamples > 0, !declared.overflow, declared.partialValue <= UInt64(max(1 << 20, inputSize * 8)) {
            output = [Int16](repeating: 0, count: Int(declared.partialValue))
        }
    }

    private enum ChannelLayout {
        case independent
        case leftSide
        case sideRight
        case midSide
    }

    private struct Header {
        var blockSize: Int
        var channels: Int
        var layout: ChannelLayout
        var bitsPerSample: Int
        var variableBlockSize: Bool
        /// Frame number (fixed block size) or number of the first sample (variable block size).
        var number: UInt64
    }

    /// Decodes the frame starting at `start` (its sync code) and returns the offset just past it.
    mutating func decodeFrame(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) throws(FLACDecoder.Failure) -> Int {
        do throws(FLACDecoder.Failure) {
            return try decodeFrameBody(bytes, at: start)
        } catch {
            throw FLACDecoder.Failure("frame \(frameCount) at byte \(start): \(error.reason)")
        }
    }

    private mutating func decodeFrameBody(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) throws(FLACDecoder.Failure) -> Int {
        var reader = FLACBitReader(bytes, offset: start)
        let header = try readHeader(&reader, bytes: bytes, start: start)
        try checkNumbering(header)

        // Every frame has the stream's channel count (readHeader checks), so only the block size can grow.
        if header.blockSize > capacity {
            capacity = header.blockSize
            samples = Array(repeating: 0, count: capacity * header.channels)
        }
        let capacity = self.capacity
        try samples.withUnsafeMutableBufferPointer { (buffer) throws(FLACDecoder.Failure) in
            let base = buffer.baseAddress!
            for channel in 0..<header.channels {
                var bits = header.bitsPerSample
                // The side channel is a difference of two channels, so it needs one bit more.
                switch (header.layout, channel) {
                case (.leftSide, 1), (.sideRight, 0), (.midSide, 1): bits += 1
                default: break
                }
                do throws(FLACDecoder.Failure) {
                    try Self.decodeSubframe(&reader, into: base + channel * capacity, count: header.blockSize, bitsPerSample: bits)
                } catch {
                    throw FLACDecoder.Failure("channel \(channel): \(error.reason)")
                }
            }
            Self.undoStereoDecorrelation(header.layout, first: base, second: base + capacity, count: header.blockSize)
        }

        reader.alignToByte()
        let crcOffset = reader.byteOffset
        let stored = UInt16(try reader.read(16))
        let computed = AudioChecksum.crc16(UnsafeBufferPointer(rebasing: bytes[start..<crcOffset]))
        guard stored == computed else {
            throw FLACDecoder.Failure("CRC-16 mismatch (stored 0x\(String(stored, radix: 16)), computed 0x\(String(computed, radix: 16))): the frame is damaged")
        }

        try appendOutput(header)
        frameCount += 1
        sampleCount += UInt64(header.blockSize)
        return crcOffset + 2
    }

    // MARK: Header

    private func readHeader(_ reader: inout FLACBitReader, bytes: UnsafeBufferPointer<UInt8>, start: Int) throws(FLACDecoder.Failure) -> Header {
        guard try reader.read(14) == 0b11_1111_1111_1110 else { throw FLACDecoder.Failure("no frame sync code") }
        guard try reader.read(1) == 0 else { throw FLACDecoder.Failure("reserved header bit is set") }
        let variable = try reader.read(1) == 1
        let blockSizeCode = Int(try reader.read(4))
        let rateCode = Int(try reader.read(4))
        let channelCode = Int(try reader.read(4))
        let depthCode = Int(try reader.read(3))
        guard try reader.read(1) == 0 else { throw FLACDecoder.Failure("reserved header bit is set") }
        let number = try readCodedNumber(&reader)

        var blockSize: Int
        switch blockSizeCode {
        case 0: throw FLACDecoder.Failure("reserved block size code 0")
        case 1: blockSize = 192
        case 2...5: blockSize = 144 << blockSizeCode
        case 6: blockSize = Int(try reader.read(8)) + 1
        case 7: blockSize = Int(try reader.read(16)) + 1
        default: blockSize = 1 << blockSizeCode
        }
        let rate: Int
        switch rateCode {
        case 0: rate = streamInfo.sampleRate
        case 12: rate = Int(try reader.read(8)) * 1000
        case 13: rate = Int(try reader.read(16))
        case 14: rate = Int(try reader.read(16)) * 10
        case 15: throw FLACDecoder.Failure("forbidden sample rate code 15")
        default: rate = Self.sampleRates[rateCode]
        }

        let crcOffset = reader.byteOffset
        let stored = UInt8(try reader.read(8))
        let computed = AudioChecksum.crc8(UnsafeBufferPointer(rebasing: bytes[start..<crcOffset]))
        guard stored == computed else {
            throw FLACDecoder.Failure("header CRC-8 mismatch (stored 0x\(String(stored, radix: 16)), computed 0x\(String(computed, radix: 16))): the frame is damaged")
        }

        // Checked only after the CRC, so that damage is reported as damage rather than as a strange stream.
        let channels: Int
        let layout: ChannelLayout
        switch channelCode {
        case 0...7: (channels, layout) = (channelCode + 1, .independent)
        case 8: (channels, layout) = (2, .leftSide)
        case 9: (channels, layout) = (2, .sideRight)
        case 10: (channels, layout) = (2, .midSide)
        default: throw FLACDecoder.Failure("reserved channel assignment \(channelCode)")
        }
        let bitsPerSample: Int
        switch depthCode {
        case 0: bitsPerSample = streamInfo.bitsPerSample
        case 3: throw FLACDecoder.Failure("reserved bit depth code 3")
        default: bitsPerSample = Self.bitDepths[depthCode]
        }
        // One WAV file has one layout and one rate: a stream that changes them cannot be represented.
        guard channels == streamInfo.channels else {
            throw FLACDecoder.Failure("\(channels) channels, but STREAMINFO declares \(streamInfo.channels)")
        }
        guard rate == streamInfo.sampleRate else {
            throw FLACDecoder.Failure("sample rate \(rate) Hz, but STREAMINFO declares \(streamInfo.sampleRate) Hz")
        }
        guard blockSize >= 1 else { throw FLACDecoder.Failure("empty block") }
        return Header(blockSize: blockSize, channels: channels, layout: layout, bitsPerSample: bitsPerSample, variableBlockSize: variable, number: number)
    }

    private static let sampleRates = [0, 88_200, 176_400, 192_000, 8_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000, 96_000]
    private static let bitDepths = [0, 8, 12, 0, 16, 20, 24, 32]

    /// The frame or sample number: UTF-8's length-prefixed layout stretched to 36 bits (up to 7 bytes).
    private func readCodedNumber(_ reader: inout FLACBitReader) throws(FLACDecoder.Failure) -> UInt64 {
        let lead = try reader.read(8)
        let length = (~UInt8(lead)).leadingZeroBitCount
        switch length {
        case 0: return lead
        case 1, 8: throw FLACDecoder.Failure("invalid coded frame number (lead byte 0x\(String(lead, radix: 16)))")
        default:
            var value = lead & (0x7F >> UInt64(length))
            for _ in 1..<length {
                let byte = try reader.read(8)
                guard byte & 0xC0 == 0x80 else { throw FLACDecoder.Failure("invalid coded frame number (continuation byte 0x\(String(byte, radix: 16)))") }
                value = value << 6 | byte & 0x3F
            }
            return value
        }
    }

    /// Frames must follow each other without gaps: a missing frame would silently shorten the audio.
    private mutating func checkNumbering(_ header: Header) throws(FLACDecoder.Failure) {
        if let variable = variableBlockSize, variable != header.variableBlockSize {
            throw FLACDecoder.Failure("blocking strategy changes mid-stream")
        }
        if let expected = expectedNumber, expected != header.number {
            let unit = header.variableBlockSize ? "first sample" : "frame number"
            throw FLACDecoder.Failure("\(unit) is \(header.number), expected \(expected): frames are missing or out of order")
        }
        variableBlockSize = header.variableBlockSize
        // A stream cut from a longer one may start at any number; from then on the numbering is fixed.
        expectedNumber = header.number + (header.variableBlockSize ? UInt64(header.blockSize) : 1)
    }

    // MARK: Subframes

    private static func decodeSubframe(_ reader: inout FLACBitReader, into out: UnsafeMutablePointer<Int64>, count: Int, bitsPerSample: Int) throws(FLACDecoder.Failure) {
        guard try reader.read(1) == 0 else { throw FLACDecoder.Failure("subframe padding bit is set") }
        let type = Int(try reader.read(6))
        var wasted = 0
        if try reader.read(1) == 1 { wasted = try reader.readUnary() + 1 }
        guard wasted < bitsPerSample else { throw FLACDecoder.Failure("\(wasted) wasted bits in \(bitsPerSample)-bit samples") }
        let bits = bitsPerSample - wasted

        switch type {
        case 0:
            let value = try reader.readSigned(bits)
            for index in 0..<count { out[index] = value }
        case 1:
            for index in 0..<count { out[index] = try reader.readSigned(bits) }
        case 0b001000...0b001100:
            let order = type & 0x07
            guard order <= count else { throw FLACDecoder.Failure("FIXED order \(order) exceeds the block size \(count)") }
            for index in 0..<order { out[index] = try reader.readSigned(bits) }
            try readResidual(&reader, into: out, count: count, order: order)
            restoreFixed(out, count: count, order: order)
        case 0b100000...0b111111:
            let order = type - 31
            guard order <= count else { throw FLACDecoder.Failure("LPC order \(order) exceeds the block size \(count)") }
            for index in 0..<order { out[index] = try reader.readSigned(bits) }
            let precision = Int(try reader.read(4)) + 1
            guard precision < 16 else { throw FLACDecoder.Failure("invalid LPC coefficient precision code 15") }
            let shift = Int(try reader.readSigned(5))
            // A negative shift has no defined meaning in the format; RFC 9639 forbids it.
            guard shift >= 0 else { throw FLACDecoder.Failure("negative LPC shift \(shift)") }
            var coefficients = [Int64](repeating: 0, count: order)
            for index in 0..<order { coefficients[index] = try reader.readSigned(precision) }
            try readResidual(&reader, into: out, count: count, order: order)
            restoreLPC(out, count: count, coefficients: coefficients, shift: shift)
        default:
            throw FLACDecoder.Failure("reserved subframe type \(type)")
        }

        if wasted > 0 {
            for index in 0..<count { out[index] = out[index] &<< Int64(wasted) }
        }
    }

    /// Reads the residual of a predicted subframe into `out[order..<count]`.
    private static func readResidual(_ reader: inout FLACBitReader, into out: UnsafeMutablePointer<Int64>, count: Int, order: Int) throws(FLACDecoder.Failure) {
        let method = try reader.read(2)
        guard method < 2 else { throw FLACDecoder.Failure("reserved residual coding method \(method)") }
        // RICE2 only widens the parameter field, for the larger residuals of high bit depths.
        let parameterBits = method == 0 ? 4 : 5
        let escape = (1 << parameterBits) - 1
        let partitionOrder = Int(try reader.read(4))
        let partitionSize = count >> partitionOrder
        guard partitionSize << partitionOrder == count else {
            throw FLACDecoder.Failure("block size \(count) is not divisible into \(1 << partitionOrder) partitions")
        }
        guard partitionSize >= order else {
            throw FLACDecoder.Failure("first residual partition (\(partitionSize) samples) is shorter than the predictor order \(order)")
        }
        var position = order
        for partition in 0..<(1 << partitionOrder) {
            let length = partition == 0 ? partitionSize - order : partitionSize
            let parameter = Int(try reader.read(parameterBits))
            if parameter == escape {
                // Escaped partitions store the residual verbatim, each value in `width` bits.
                let width = Int(try reader.read(5))
                for index in position..<position + length { out[index] = try reader.readSigned(width) }
            } else {
                try reader.readRice(into: out + position, count: length, parameter: parameter)
            }
            position += length
        }
    }

    /// FIXED predictors are the polynomials of RFC 9639 §9.2.5: order n extrapolates the last n samples.
    /// Wrapping arithmetic: damaged data must not trap; its values fail the range or CRC check instead.
    private static func restoreFixed(_ s: UnsafeMutablePointer<Int64>, count: Int, order: Int) {
        guard count > order else { return }
        switch order {
        case 1:
            for i in 1..<count { s[i] = s[i] &+ s[i - 1] }
        case 2:
            for i in 2..<count { s[i] = s[i] &+ 2 &* s[i - 1] &- s[i - 2] }
        case 3:
            for i in 3..<count { s[i] = s[i] &+ 3 &* (s[i - 1] &- s[i - 2]) &+ s[i - 3] }
        case 4:
            for i in 4..<count { s[i] = s[i] &+ 4 &* (s[i - 1] &+ s[i - 3]) &- 6 &* s[i - 2] &- s[i - 4] }
        default:
            break  // order 0: the residual is the signal
        }
    }

    /// The first coefficient weighs the most recent sample; the sum can exceed 32 bits, hence Int64.
    private static func restoreLPC(_ s: UnsafeMutablePointer<Int64>, count: Int, coefficients: [Int64], shift: Int) {
        let order = coefficients.count
        guard count > order else { return }
        let shiftAmount = Int64(shift)
        coefficients.withUnsafeBufferPointer { c in
            let c = c.baseAddress!
            // `while` rather than `for … in 0..<order`: in a debug build every range iteration is a
            // call, and this inner loop runs order × block size times.
            for i in order..<count {
                var sum: Int64 = 0
                var history = s + (i - 1)
                var j = 0
                while j < order {
                    sum = sum &+ c[j] &* history.pointee
                    history -= 1
                    j &+= 1
                }
                s[i] = s[i] &+ (sum &>> shiftAmount)
            }
        }
    }

    /// Stereo frames may carry a side channel (left − right) instead of one of the two.
    private static func undoStereoDecorrelation(_ layout: ChannelLayout, first: UnsafeMutablePointer<Int64>, second: UnsafeMutablePointer<Int64>, count: Int) {
        switch layout {
        case .independent:
            break
        case .leftSide:
            for i in 0..<count { second[i] = first[i] &- second[i] }
        case .sideRight:
            for i in 0..<count { first[i] = first[i] &+ second[i] }
        case .midSide:
            // The mid channel lost its lowest bit when halved; the side's lowest bit is the same one.
            for i in 0..<count {
                let side = second[i]
                let mid = first[i] &<< 1 | side & 1
                first[i] = (mid &+ side) &>> 1
                second[i] = (mid &- side) &>> 1
            }
        }
    }

    // MARK: Output

    /// Interleaves the frame into 16-bit samples: deeper samples keep their top 16 bits, shallower ones
    /// are scaled up, as a 16-bit conversion by shifting does.
    private mutating func appendOutput(_ header: Header) throws(FLACDecoder.Failure) {
        let bits = header.bitsPerSample
        let limit = Int64(1) << Int64(bits - 1)
        let capacity = self.capacity
        let channels = header.channels
        let count = header.blockSize
        let start = outputCount
        try growOutput(to: start + count * channels)
        let inRange = samples.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                let source = source.baseAddress!
                let target = target.baseAddress! + start
                for channel in 0..<channels {
                    let input = source + channel * capacity
                    var index = channel
                    for i in 0..<count {
                        let value = input[i]
                        guard value >= -limit, value < limit else { return false }
                        let scaled = bits >= 16 ? value &>> Int64(bits - 16) : value &<< Int64(16 - bits)
                        target[index] = Int16(truncatingIfNeeded: scaled)
                        index += channels
                    }
                }
                return true
            }
        }
        guard inRange else { throw FLACDecoder.Failure("decoded sample outside the \(bits)-bit range") }
        outputCount = start + count * channels
    }

    /// Output grows by doubling into a zeroed array rather than by `append`: the generic append paths
    /// cost more than the decoding itself in a debug build.
    private mutating func growOutput(to needed: Int) throws(FLACDecoder.Failure) {
        guard needed > output.count else { return }
        guard needed <= Self.maxOutputSamples else { throw FLACDecoder.Failure("more than \(Self.maxOutputSamples) samples: too long to decode") }
        var grown = [Int16](repeating: 0, count: min(Self.maxOutputSamples, max(needed, output.count * 2, 1 << 16)))
        grown.withUnsafeMutableBufferPointer { target in
            output.withUnsafeBufferPointer { source in
                if let from = source.baseAddress { target.baseAddress!.update(from: from, count: outputCount) }
            }
        }
        output = grown
    }

    /// 2 GiB of output (3.4 hours of 44.1 kHz stereo): beyond any upload the mocks accept, and a bound
    /// on what a hostile stream of long CONSTANT frames can make us allocate.
    static let maxOutputSamples = 1 << 30

    /// The decoded samples, interleaved.
    var decodedSamples: [Int16] {
        outputCount == output.count ? output : Array(output[0..<outputCount])
    }
}
