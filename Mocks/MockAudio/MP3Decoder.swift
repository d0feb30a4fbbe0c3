import SynapseCore

/// Decodes **MPEG-1, MPEG-2 and MPEG-2.5 Audio Layer III** (MP3) to 16-bit PCM, for the mocks that
/// analyse uploaded audio (the real services decode anything ffmpeg reads; MP3 is the usual
/// compressed upload).
///
/// Supported, after ISO/IEC 11172-3 and 13818-3:
/// - Streams optionally after an ID3v2 tag (v2.2–2.4, footer included), at any of the nine sample
///   rates (32/44.1/48 kHz MPEG-1, 16/22.05/24 kHz MPEG-2, 8/11.025/12 kHz MPEG-2.5), mono, stereo,
///   dual channel and joint stereo; CRC-protected frames (the CRC is skipped, not checked); padding;
///   junk between frames is skipped by resynchronising on two consecutive headers.
/// - The bit reservoir (`main_data_begin`), including main data reaching back several frames. A
///   granule whose data lies before the first frame (a cut stream) decodes as silence.
/// - MPEG-1 scale factors with scfsi sharing, LSF scale factors (`scalefac_compress` 9 bits and the
///   nr_of_sfb partitions); all Huffman tables with linbits, count1 tables A and B.
/// - Long, short and mixed blocks with all four window types; mid/side stereo; intensity stereo in
///   MPEG-1 and LSF (the LSF variant per 13818-3 with its per-band "no position" value; the last
///   band borrows its neighbour's position, as in MPEG-1).
/// - Gapless playback as ffmpeg does it: a Xing/Info frame is skipped, and when it carries a LAME
///   extension (encoder "LAME", "Lavf" or "Lavc") the output drops delay + 529 samples at the start
///   and padding − 529 at the end, which returns exactly the encoder's input. Without a tag every
///   decoded sample is returned.
///
/// Not supported: free-format bitrates, Layers I and II (both throw), CRC verification. A stream
/// that is not MP3, or whose side info or main data is inconsistent, throws `Failure`.
public enum MP3Decoder {
    public struct Failure: Error, Equatable, Sendable {
        public let reason: String
        public init(reason: String) { self.reason = reason }
    }

    /// What LAME and ffmpeg take as the decoder's own delay when trimming by the LAME tag.
    static let synthesisDelay = 529

    /// An MP3 stream (optionally after an ID3v2 tag, optionally with a Xing/LAME Info frame) → 16-bit PCM.
    public static func decode(_ bytes: [UInt8]) throws(Failure) -> WAVFile {
        let start = ID3v2.end(of: bytes)
        guard let (firstOffset, first) = firstFrame(in: bytes, from: start) else {
            var offset = start
            while offset + 4 <= bytes.count {
                if let reason = MPEGFrameHeader.rejection(bytes, at: offset) { throw Failure(reason: "unsupported MPEG audio stream: \(reason)") }
                offset += 1
                if offset - start > 65536 { break }
            }
            throw Failure(reason: bytes.isEmpty ? "empty input" : "no MPEG audio Layer III frame found: not an MP3 stream")
        }
        guard let bands = LayerIIIScaleFactorBands(sampleRate: first.sampleRate) else {
            throw Failure(reason: "unsupported sample rate \(first.sampleRate)")
        }

        var offset = firstOffset
        var trim: (start: Int, end: Int?)?
        if let info = first.infoTag(in: bytes, at: firstOffset) {
            // The Info frame is silence that only carries the tag; decoders do not play it.
            offset += first.length
            if let gapless = first.lameGapless(in: bytes, at: firstOffset) {
                let end = info.frames.map { $0 * first.samplesPerFrame - gapless.padding + synthesisDelay }
                trim = (gapless.delay + synthesisDelay, end)
            }
        }

        var decoder = LayerIIIFrameDecoder(header: first, bands: bands)
        var samples: [Int16] = []
        samples.reserveCapacity((bytes.count - offset) / max(first.length, 1) * first.samplesPerFrame * first.channels + 4096)
        var frameIndex = 0
        while offset + 4 <= bytes.count {
            guard let header = MPEGFrameHeader(bytes, at: offset), matches(header, first) else {
                // Not the next frame: junk or a tag in between. Resume at the next place where two
                // frames of this stream follow each other.
                guard let next = resynchronise(bytes, from: offset + 1, like: first) else { break }
                offset = next
                continue
            }
            // A cut last frame is dropped, as its main data is incomplete.
            guard offset + header.length <= bytes.count else { break }
            do {
                try decoder.decode(bytes, at: offset, header: header, into: &samples)
            } catch {
                throw Failure(reason: "frame \(frameIndex) at byte \(offset): \(error.reason)")
            }
            offset += header.length
            frameIndex += 1
        }
        guard frameIndex > 0 else { throw Failure(reason: "no audio frames after the Info frame") }

        let channels = first.channels
        if let trim {
            let frames = samples.count / channels
            // Both ends clamped to 0: a LAME tag whose padding exceeds the audio (found by
            // `synapse fuzz --target audio`) made `end` negative, a negative array index.
            let end = max(0, min(trim.end ?? frames, frames))
            let begin = max(0, min(trim.start, end))
            samples = Array(samples[(begin * channels)..<(end * channels)])
        }
        return WAVFile(samples: samples, channels: channels, sampleRate: first.sampleRate)
    }

    private static func matches(_ header: MPEGFrameHeader, _ first: MPEGFrameHeader) -> Bool {
        header.sampleRate == first.sampleRate && header.channels == first.channels && header.isMPEG1 == first.isMPEG1
    }

    /// The first frame: a header right where the audio starts, or else the first one that another
    /// header follows (or that ends the data), so a stray 0xFF in junk is not taken for a frame.
    private static func firstFrame(in bytes: [UInt8], from start: Int) -> (Int, MPEGFrameHeader)? {
        if let header = MPEGFrameHeader(bytes, at: start), LayerIIIScaleFactorBands(sampleRate: header.sampleRate) != nil {
            let next = start + header.length
            if next >= bytes.count || MPEGFrameHeader(bytes, at: next).map({ matches($0, header) }) == true {
                return (start, header)
            }
        }
        guard let offset = resynchronise(bytes, from: start, like: nil), let header = MPEGFrameHeader(bytes, at: offset) else { return nil }
        return (offset, header)
    }

    private static func resynchronise(_ bytes: [UInt8], from start: Int, like reference: MPEGFrameHeader?) -> Int? {
        var offset = start
        while offset + 4 <= bytes.count {
            if bytes[offset] == 0xFF, let header = MPEGFrameHeader(bytes, at: offset), reference.map({ matches(header, $0) }) ?? true {
                let next = offset + header.length
                if next == bytes.count || MPEGFrameHeader(bytes, at: next).map({ matches($0, header) }) == true { return offset }
            }
            offset += 1
        }
        return nil
    }
}

/// The state that runs from frame to frame: the bit reservoir, each channel's granule-0 scale
/// factors (scfsi), IMDCT overlap and synthesis FIFO; and per-granule scratch buffers.
struct LayerIIIFrameDecoder {
    private let bands: LayerIIIScaleFactorBands
    private let channels: Int
    private let isMPEG1: Bool
    /// Main data of earlier frames, newest last; `main_data_begin` counts back from its end.
    private var reservoir: [UInt8] = []
    private var hybrid: [LayerIIIHybridSynthesis]
    private var synthesis: [PolyphaseSynthesis]
    private var previousFactors: [LayerIIIScaleFactors]
    private var values = [Int32](repeating: 0, count: 576)
    private var spectra: [[Double]]
    private var slots = [Double](repeating: 0, count: 576)
    private var pcm: [[Double]]

    init(header: MPEGFrameHeader, bands: LayerIIIScaleFactorBands) {
        self.bands = bands
        channels = header.channels
        isMPEG1 = header.isMPEG1
        hybrid = Array(repeating: LayerIIIHybridSynthesis(), count: channels)
        synthesis = Array(repeating: PolyphaseSynthesis(), count: channels)
        previousFactors = Array(repeating: LayerIIIScaleFactors(), count: channels)
        spectra = Array(repeating: [Double](repeating: 0, count: 576), count: channels)
        pcm = Array(repeating: [Double](repeating: 0, count: 576), count: channels)
    }

    /// Decodes the frame at `offset` and appends its samples, interleaved, to `samples`.
    mutating func decode(_ bytes: [UInt8], at offset: Int, header: MPEGFrameHeader, into samples: inout [Int16]) throws(MP3Decoder.Failure) {
        let sideStart = offset + 4 + (header.hasCRC ? 2 : 0)
        let mainStart = offset + header.mainDataOffset
        let frameEnd = offset + header.length
        guard mainStart <= frameEnd else { throw MP3Decoder.Failure(reason: "frame too short for its side info") }
        let side = try LayerIIISideInfo(Array(bytes[sideStart..<mainStart]), header: header, bands: bands)

        // The granules' bits start main_data_begin bytes back in the reservoir and run on into
        // this frame. If the reservoir does not reach that far (the stream was cut), the frame's
        // audio is lost: its granules decode as silence, the filterbank memories still run on.
        let available = side.mainDataBegin <= reservoir.count
        let mainData = available ? Array(reservoir.suffix(side.mainDataBegin)) + bytes[mainStart..<frameEnd] : []
        reservoir.append(contentsOf: bytes[mainStart..<frameEnd])
        if reservoir.count > 4096 { reservoir.removeFirst(reservoir.count - 1024) }
        let totalBits = side.granules.joined().reduce(0) { $0 + $1.part23Length }
        guard !available || totalBits <= mainData.count * 8 else {
            throw MP3Decoder.Failure(reason: "main data (\(totalBits) bits) overruns the frame (\(mainData.count * 8) bits available)")
        }

        var reader = LayerIIIBitReader(mainData)
        var granuleStart = 0
        let jointStereo = channels == 2 && header.mode == 1
        let intensity = jointStereo && header.modeExtension & 1 != 0
        for granule in 0..<header.granules {
            var infos = side.granules[granule]
            var counts = [0, 0]
            var factors: [LayerIIIScaleFactors] = []
            for channel in 0..<channels {
                let end = granuleStart + infos[channel].part23Length
                reader.position = granuleStart
                let channelFactors: LayerIIIScaleFactors
                if isMPEG1 {
                    channelFactors = LayerIIIScaleFactors.readMPEG1(
                        infos[channel], granule: granule, scfsi: side.scfsi[channel], previous: previousFactors[channel], reader: &reader)
                    previousFactors[channel] = channelFactors
                } else {
                    channelFactors = LayerIIIScaleFactors.readLSF(&infos[channel], intensityRight: intensity && channel == 1, reader: &reader)
                }
                factors.append(channelFactors)
                if !available {
                    counts[channel] = 0
                } else {
                    guard reader.position <= end else { throw MP3Decoder.Failure(reason: "scale factors overrun part2_3_length") }
                    guard let count = LayerIIIHuffmanDecoder.decodeSpectrum(infos[channel], reader: &reader, end: end, into: &values) else {
                        throw MP3Decoder.Failure(reason: "invalid Huffman data or table in granule \(granule), channel \(channel)")
                    }
                    counts[channel] = count
                }
                let layout = LayerIIIRequantizer.layout(infos[channel], bands: bands, isMPEG1: isMPEG1)
                LayerIIIRequantizer.requantize(values, count: counts[channel], info: infos[channel], factors: channelFactors, layout: layout, into: &spectra[channel])
                granuleStart = end
            }

            if jointStereo {
                let count = max(counts[0], counts[1])
                let layout = LayerIIIRequantizer.layout(infos[1], bands: bands, isMPEG1: isMPEG1)
                // Moved out and back so both channels can be changed at once without a copy.
                var left: [Double] = []
                var right: [Double] = []
                swap(&left, &spectra[0])
                swap(&right, &spectra[1])
                LayerIIIStereo.process(
                    left: &left, right: &right, count: count, midSide: header.modeExtension & 2 != 0, intensity: intensity,
                    layout: layout, rightFactors: factors[1], isMPEG1: isMPEG1)
                swap(&left, &spectra[0])
                swap(&right, &spectra[1])
                // Intensity coding fills the right channel wherever the left has lines.
                counts = intensity ? [576, 576] : [count, count]
            }

            for channel in 0..<channels {
                let layout = LayerIIIRequantizer.layout(infos[channel], bands: bands, isMPEG1: isMPEG1)
                hybrid[channel].process(&spectra[channel], count: counts[channel], info: infos[channel], layout: layout, into: &slots)
                slots.withUnsafeBufferPointer { input in
                    pcm[channel].withUnsafeMutableBufferPointer { output in
                        for slot in 0..<18 { synthesis[channel].synthesize(input.baseAddress! + slot * 32, into: output.baseAddress! + slot * 32) }
                    }
                }
            }
            for index in 0..<576 {
                for channel in 0..<channels {
                    let value = (pcm[channel][index] * 32768).rounded()
                    samples.append(Int16(max(-32768, min(32767, value))))
                }
            }
        }
    }
}
