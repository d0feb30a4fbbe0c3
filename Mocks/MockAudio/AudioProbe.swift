/// What a compressed audio file says about itself without decoding a sample: container, codec,
/// stream layout, duration and text tags, as `ffprobe` would report them.
///
/// The mocks that only need to know *what* was uploaded (whisper's transcript length and its
/// mock-speech round trip) use it for the formats the real services decode but the mocks cannot:
///
/// | container | recognised by | duration from | tags from |
/// | --- | --- | --- | --- |
/// | FLAC | `fLaC` | STREAMINFO total samples | VORBIS_COMMENT block |
/// | Ogg (Vorbis, Opus, FLAC) | `OggS` | last page's granule position (Opus: minus pre-skip, at 48 kHz) | comment header |
/// | MP3 (MPEG audio) | ID3v2 or a frame sync | Xing/Info frame count (less the LAME delay and padding), else the frames counted | ID3v2 text frames |
///
/// Tag names are upper-cased Vorbis comment names; ID3v2 frames are mapped onto them (`TIT2` →
/// `TITLE`, `TPE1` → `ARTIST`, `TSSE` → `ENCODER`). Anything else is not audio here (nil).
public struct AudioProbe: Sendable, Equatable {
    public enum Codec: String, Sendable {
        case flac, vorbis, opus, mp3
    }

    public var codec: Codec
    public var sampleRate: Int
    public var channels: Int
    /// Seconds of audio a decoder returns.
    public var duration: Double
    public var tags: [String: String]

    public init?(bytes: [UInt8]) {
        // Taggers put ID3v2 in front of MP3 and sometimes of FLAC; its text frames are the tags then.
        let start = ID3v2.end(of: bytes)
        let id3Tags = start > 0 ? ID3v2.textFrames(bytes[0..<start]) : [:]
        let audio = start > 0 ? Array(bytes[start...]) : bytes
        let probe: AudioProbe?
        if audio.starts(with: Array("fLaC".utf8)) {
            probe = Self.flac(audio[4...])
        } else if audio.starts(with: Array("OggS".utf8)) {
            probe = Self.ogg(audio)
        } else {
            probe = Self.mpeg(audio)
        }
        guard var probe else { return nil }
        probe.tags.merge(id3Tags) { own, _ in own }
        self = probe
    }

    private init(codec: Codec, sampleRate: Int, channels: Int, duration: Double, tags: [String: String]) {
        self.codec = codec
        self.sampleRate = sampleRate
        self.channels = channels
        self.duration = duration
        self.tags = tags
    }

    // MARK: FLAC

    /// Native FLAC: metadata blocks after the marker, STREAMINFO first.
    private static func flac(_ blocks: ArraySlice<UInt8>) -> AudioProbe? {
        var offset = blocks.startIndex
        var info: (rate: Int, channels: Int, samples: Int)?
        var tags: [String: String] = [:]
        while offset + 4 <= blocks.endIndex {
            let header = blocks[offset]
            let length = Int(blocks[offset + 1]) << 16 | Int(blocks[offset + 2]) << 8 | Int(blocks[offset + 3])
            let body = offset + 4
            guard body + length <= blocks.endIndex else { return nil }
            switch header & 0x7F {
            case 0: info = streamInfo(blocks[body..<body + length])
            case 4: tags = vorbisComments(blocks[body..<body + length]) ?? [:]
            default: break
            }
            offset = body + length
            if header & 0x80 != 0 { break }
        }
        guard let info, info.rate > 0 else { return nil }
        return AudioProbe(codec: .flac, sampleRate: info.rate, channels: info.channels, duration: Double(info.samples) / Double(info.rate), tags: tags)
    }

    /// STREAMINFO's rate, channels and length (its parsing is the decoder's).
    private static func streamInfo(_ body: ArraySlice<UInt8>) -> (rate: Int, channels: Int, samples: Int)? {
        (try? FLACStreamInfo(body)).map { ($0.sampleRate, $0.channels, Int($0.totalSamples)) }
    }

    /// A Vorbis comment list (little-endian lengths): vendor, count, `NAME=value` entries.
    private static func vorbisComments(_ body: ArraySlice<UInt8>) -> [String: String]? {
        var reader = ByteReader(body)
        guard let vendorLength = reader.uint32LE(), reader.skip(Int(vendorLength)), let count = reader.uint32LE() else { return nil }
        var tags: [String: String] = [:]
        for _ in 0..<count {
            guard let length = reader.uint32LE(), let entry = reader.bytes(Int(length)) else { return nil }
            let text = String(decoding: entry, as: UTF8.self)
            guard let equals = text.firstIndex(of: "=") else { continue }
            tags[text[..<equals].uppercased()] = String(text[text.index(after: equals)...])
        }
        return tags
    }

    // MARK: Ogg

    private static func ogg(_ bytes: [UInt8]) -> AudioProbe? {
        let stream = OggPacketReader(bytes)
        guard let first = stream.packets.first, stream.packets.count >= 2, let granule = stream.lastGranule else { return nil }
        let second = stream.packets[1]
        if first.starts(with: [1] + Array("vorbis".utf8)), first.count >= 16 {
            let channels = Int(first[11])
            let rate = Int(first[12]) | Int(first[13]) << 8 | Int(first[14]) << 16 | Int(first[15]) << 24
            guard rate > 0, second.starts(with: [3] + Array("vorbis".utf8)) else { return nil }
            let tags = vorbisComments(second[7...]) ?? [:]
            return AudioProbe(codec: .vorbis, sampleRate: rate, channels: channels, duration: Double(granule) / Double(rate), tags: tags)
        }
        if first.starts(with: Array("OpusHead".utf8)), first.count >= 19 {
            let channels = Int(first[9])
            let preSkip = Int(first[10]) | Int(first[11]) << 8
            let inputRate = Int(first[12]) | Int(first[13]) << 8 | Int(first[14]) << 16 | Int(first[15]) << 24
            guard second.starts(with: Array("OpusTags".utf8)) else { return nil }
            let tags = vorbisComments(second[8...]) ?? [:]
            // Opus always decodes at 48 kHz; the head's rate is only what the encoder was given.
            let duration = Double(max(0, Int(granule) - preSkip)) / 48_000
            return AudioProbe(codec: .opus, sampleRate: inputRate == 0 ? 48_000 : inputRate, channels: channels, duration: duration, tags: tags)
        }
        if first.starts(with: [0x7F] + Array("FLAC".utf8)), first.count >= 13 + 4 + 34 {
            guard let info = streamInfo(first[(13 + 4)...]), info.rate > 0 else { return nil }
            // The comment packet is a FLAC metadata block: a 4-byte block header, then the list.
            let tags = second.count > 4 && second[0] & 0x7F == 4 ? vorbisComments(second[4...]) ?? [:] : [:]
            return AudioProbe(codec: .flac, sampleRate: info.rate, channels: info.channels, duration: Double(granule) / Double(info.rate), tags: tags)
        }
        return nil
    }

    // MARK: MPEG audio

    private static func mpeg(_ bytes: [UInt8]) -> AudioProbe? {
        guard let first = MPEGFrameHeader(bytes, at: 0) else { return nil }
        var frames = 0
        var position = 0
        while let header = MPEGFrameHeader(bytes, at: position), header.sampleRate == first.sampleRate {
            frames += 1
            position += header.length
        }
        // A stream is its frames back to back; a file that is mostly something else is not one.
        guard frames >= 2 || position == bytes.count else { return nil }
        let samples: Int
        if let info = first.infoTag(in: bytes, at: 0) {
            // The Info frame carries no audio; its counts describe the rest.
            samples = max(0, (info.frames ?? frames - 1) * first.samplesPerFrame - info.delay - info.padding)
        } else {
            samples = frames * first.samplesPerFrame
        }
        return AudioProbe(codec: .mp3, sampleRate: first.sampleRate, channels: first.channels, duration: Double(samples) / Double(first.sampleRate), tags: [:])
    }
}

/// Little-endian reads over a byte slice, failing (nil) past the end.
struct ByteReader {
    private let bytes: ArraySlice<UInt8>
    private var offset: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.offset = bytes.startIndex
    }

    mutating func uint32LE() -> UInt32? {
        guard let b = self.bytes(4) else { return nil }
        return UInt32(b[b.startIndex]) | UInt32(b[b.startIndex + 1]) << 8 | UInt32(b[b.startIndex + 2]) << 16 | UInt32(b[b.startIndex + 3]) << 24
    }

    mutating func bytes(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, offset + count <= bytes.endIndex else { return nil }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func skip(_ count: Int) -> Bool {
        bytes(count) != nil
    }
}
