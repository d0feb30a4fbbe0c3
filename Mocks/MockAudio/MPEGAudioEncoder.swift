/// Encodes 16-bit PCM as an MPEG audio stream for `.mp3` requests: **MPEG-1/2 Audio Layer II**.
///
/// A Layer III encoder (MDCT, Huffman tables, bit reservoir) is out of scope for a mock; Layer II is a
/// valid MPEG audio stream that every MP3 decoder (ffmpeg, sox/libmad, browsers) plays, at the
/// requested constant bitrate and with the right duration (1152 samples per frame). `ffprobe` names
/// the codec `mp2`. Per frame: header (no CRC), bit allocation, one scale factor per subband
/// (scfsi 2), and uniformly quantised subband samples. Bits go greedily to the subband whose
/// quantisation noise is currently largest; there is no psychoacoustic model.
///
/// Sample rates: 32, 44.1, 48 kHz (MPEG-1) and 16, 22.05, 24 kHz (MPEG-2 LSF); 1 or 2 channels.
public struct MPEGAudioEncoder: Sendable {
    /// Why the stream cannot be produced with these parameters.
    public enum ConfigurationError: Error, Equatable, Sendable {
        case unsupportedSampleRate(Int)
        case unsupportedChannelCount(Int)
    }

    /// Sample rates MPEG audio can carry, in Hz.
    public static let supportedSampleRates = [16000, 22050, 24000, 32000, 44100, 48000]

    public let channels: Int
    public let sampleRate: Int
    /// The bitrate actually used, kbit/s: the legal bitrate nearest to the requested one.
    public let bitrate: Int
    private let bitrateIndex: Int
    private let isMPEG1: Bool
    private let allocationTable: [MPEGAudioTables.SubbandClasses]

    /// - Parameter bitrate: requested kbit/s (default 128); snapped to the nearest legal value.
    public init(channels: Int, sampleRate: Int, bitrate requested: Int = 128) throws(ConfigurationError) {
        guard channels == 1 || channels == 2 else { throw .unsupportedChannelCount(channels) }
        let isMPEG1 = MPEGAudioTables.mpeg1RateIndex[sampleRate] != nil
        guard isMPEG1 || MPEGAudioTables.mpeg2RateIndex[sampleRate] != nil else { throw .unsupportedSampleRate(sampleRate) }
        let table = isMPEG1 ? MPEGAudioTables.mpeg1Bitrates : MPEGAudioTables.mpeg2Bitrates
        var legal = Array(table.indices.dropFirst())
        if isMPEG1 {
            // Layer II forbids some bitrate/mode pairs (11172-3, 2.4.2.3).
            legal = legal.filter { channels == 1 ? table[$0] <= 192 : ![32, 48, 56, 80].contains(table[$0]) }
        }
        let index = legal.min { abs(table[$0] - requested) < abs(table[$1] - requested) } ?? 1
        self.channels = channels
        self.sampleRate = sampleRate
        self.bitrate = table[index]
        self.bitrateIndex = index
        self.isMPEG1 = isMPEG1
        self.allocationTable = MPEGAudioTables.allocationTable(sampleRate: sampleRate, bitratePerChannel: table[index] / channels)
    }

    /// A complete stream of whole frames for interleaved `samples` (the last frame zero-padded).
    public func encodeFile(samples: [Int16]) -> [UInt8] {
        let frames = samples.count / channels
        let frameCount = (frames + 1151) / 1152
        var filters = Array(repeating: PolyphaseAnalysis(), count: channels)
        var output: [UInt8] = []
        // Frames are 144 · bitrate / rate bytes; the fractional part is spread with padding slots.
        let slotNumerator = 144_000 * bitrate
        var slotRemainder = 0
        for frameIndex in 0..<frameCount {
            var subbands: [[[Double]]] = []  // [channel][36 time slots][32 bands]
            for channel in 0..<channels {
                var slots: [[Double]] = []
                for slot in 0..<36 {
                    var block = [Double](repeating: 0, count: 32)
                    for offset in 0..<32 {
                        let frame = frameIndex * 1152 + slot * 32 + offset
                        if frame < frames { block[offset] = Double(samples[frame * channels + channel]) / 32768 }
                    }
                    slots.append(filters[channel].analyse(block[...]))
                }
                subbands.append(slots)
            }
            slotRemainder += slotNumerator % sampleRate
            var padding = false
            if slotRemainder >= sampleRate {
                slotRemainder -= sampleRate
                padding = true
            }
            let frameBytes = slotNumerator / sampleRate + (padding ? 1 : 0)
            output += encodeFrame(subbands, frameBytes: frameBytes, padding: padding)
        }
        return output
    }

    // MARK: Frame

    private func encodeFrame(_ subbands: [[[Double]]], frameBytes: Int, padding: Bool) -> [UInt8] {
        let bandCount = allocationTable.count
        var scaleIndex = Array(repeating: Array(repeating: 62, count: bandCount), count: channels)
        var energy = Array(repeating: Array(repeating: 0.0, count: bandCount), count: channels)
        for channel in 0..<channels {
            for band in 0..<bandCount {
                var peak = 0.0
                for slot in 0..<36 {
                    let value = subbands[channel][slot][band]
                    peak = max(peak, abs(value))
                    energy[channel][band] += value * value / 36
                }
                // The smallest scale factor still at least as large as the peak.
                scaleIndex[channel][band] = MPEGAudioTables.scaleFactors.lastIndex { $0 >= peak } ?? 0
            }
        }
        let allocation = allocate(scaleIndex: scaleIndex, energy: energy, budget: frameBytes * 8 - 32)

        var writer = BitWriter()
        writer.write(0x7FF, bits: 11)  // frame sync
        writer.write(isMPEG1 ? 0b11 : 0b10, bits: 2)  // MPEG-1 or MPEG-2
        writer.write(0b10, bits: 2)  // Layer II
        writer.write(1, bits: 1)  // no CRC
        writer.write(UInt64(bitrateIndex), bits: 4)
        let rateIndex = (isMPEG1 ? MPEGAudioTables.mpeg1RateIndex : MPEGAudioTables.mpeg2RateIndex)[sampleRate] ?? 0
        writer.write(UInt64(rateIndex), bits: 2)
        writer.write(padding ? 1 : 0, bits: 1)
        writer.write(0, bits: 1)  // private bit
        writer.write(channels == 1 ? 0b11 : 0b00, bits: 2)  // single channel or stereo
        writer.write(0, bits: 2)  // mode extension (joint stereo only)
        writer.write(0, bits: 4)  // not copyrighted, copy, no emphasis
        for band in 0..<bandCount {
            for channel in 0..<channels { writer.write(UInt64(allocation[channel][band]), bits: allocationTable[band].allocationBits) }
        }
        for band in 0..<bandCount {
            for channel in 0..<channels where allocation[channel][band] > 0 { writer.write(2, bits: 2) }  // one scale factor for all 3 parts
        }
        for band in 0..<bandCount {
            for channel in 0..<channels where allocation[channel][band] > 0 { writer.write(UInt64(scaleIndex[channel][band]), bits: 6) }
        }
        for granule in 0..<12 {
            for band in 0..<bandCount {
                for channel in 0..<channels where allocation[channel][band] > 0 {
                    let levels = allocationTable[band].levels[allocation[channel][band] - 1]
                    let scale = MPEGAudioTables.scaleFactors[scaleIndex[channel][band]]
                    let codes = (0..<3).map { Self.quantise(subbands[channel][granule * 3 + $0][band] / scale, levels: levels) }
                    let (bits, grouped) = MPEGAudioTables.codewordBits(levels: levels)
                    if grouped {
                        writer.write(UInt64(codes[0] + levels * codes[1] + levels * levels * codes[2]), bits: bits)
                    } else {
                        for code in codes { writer.write(UInt64(code), bits: bits) }
                    }
                }
            }
        }
        writer.alignToByte()
        var bytes = writer.bytes
        bytes += [UInt8](repeating: 0, count: max(0, frameBytes - bytes.count))  // ancillary data
        return bytes
    }

    /// Greedy allocation: repeatedly refine the subband with the largest expected noise power while
    /// the frame has room for it.
    private func allocate(scaleIndex: [[Int]], energy: [[Double]], budget: Int) -> [[Int]] {
        let bandCount = allocationTable.count
        var allocation = Array(repeating: Array(repeating: 0, count: bandCount), count: channels)
        var used = allocationTable.reduce(0) { $0 + $1.allocationBits } * channels
        func noise(_ channel: Int, _ band: Int) -> Double {
            let code = allocation[channel][band]
            guard code > 0 else { return energy[channel][band] }
            let step = 2 * MPEGAudioTables.scaleFactors[scaleIndex[channel][band]] / Double(allocationTable[band].levels[code - 1])
            return step * step / 12
        }
        func sampleBits(levels: Int) -> Int {
            let (bits, grouped) = MPEGAudioTables.codewordBits(levels: levels)
            return grouped ? 12 * bits : 36 * bits
        }
        while true {
            var best: (channel: Int, band: Int, cost: Int)?
            var bestNoise = 1e-12  // below this a subband is silent enough to skip
            for channel in 0..<channels {
                for band in 0..<bandCount {
                    let code = allocation[channel][band]
                    let classes = allocationTable[band].levels
                    guard code < classes.count else { continue }
                    let current = code == 0 ? 8 : sampleBits(levels: classes[code - 1])  // 8 = scfsi + scale factor
                    let cost = sampleBits(levels: classes[code]) - (code == 0 ? 0 : current) + (code == 0 ? 8 : 0)
                    let value = noise(channel, band)
                    if used + cost <= budget, value > bestNoise {
                        bestNoise = value
                        best = (channel, band, cost)
                    }
                }
            }
            guard let choice = best else { return allocation }
            allocation[choice.channel][choice.band] += 1
            used += choice.cost
        }
    }

    /// The code of the nearest of `levels` evenly spaced values 2(c − (levels − 1)/2)/levels,
    /// which is what decoders reconstruct.
    static func quantise(_ normalised: Double, levels: Int) -> Int {
        let code = (normalised * Double(levels) / 2 + Double(levels - 1) / 2).rounded()
        return Int(max(0, min(Double(levels - 1), code)))
    }
}
