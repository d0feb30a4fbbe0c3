import Foundation
import MockAudio
import SynapseCore
import Testing

/// The libsndfile and libsamplerate wrappers, checked against ffmpeg, ffprobe and sox: what they
/// write is read by independent tools at the requested rate, channel count and length, and what
/// ffmpeg writes in each container they read back.
@Suite struct AudioCodecTests {
    /// ffprobe's codec name for each format.
    static let codecNames: [AudioFormat: String] = [.wav: "pcm_s16le", .flac: "flac", .ogg: "vorbis", .opus: "opus", .mp3: "mp3"]

    @Test(arguments: [
        (AudioFormat.wav, 16_000, 1), (.wav, 44_100, 2), (.flac, 22_050, 1), (.flac, 48_000, 2), (.ogg, 16_000, 1), (.ogg, 44_100, 2),
        (.opus, 24_000, 1), (.opus, 48_000, 2), (.opus, 44_100, 1), (.mp3, 24_000, 1), (.mp3, 44_100, 2), (.mp3, 16_000, 2),
    ])
    func ffprobeAndFFmpegReadEveryFormatAtItsRateChannelsAndLength(format: AudioFormat, rate: Int, channels: Int) async throws {
        let input = TestAudio.sine(frames: rate * 3 / 2, rate: rate, channels: channels)
        let file = try AudioEncoder(format: format, sampleRate: rate, channels: channels).encode(input)
        let probe = try await TestAudio.probe(file, fileExtension: format.rawValue)
        #expect(probe.codec == Self.codecNames[format])
        // ffmpeg always decodes Opus at 48 kHz, whatever the stream's input rate.
        #expect(probe.sampleRate == (format == .opus ? 48_000 : rate))
        #expect(probe.channels == channels)
        // ffprobe estimates an MP3's length from its frames, before the Info frame's trim (up to 0.1 s more).
        #expect(abs(probe.duration - 1.5) < (format == .mp3 ? 0.1 : 0.03), "\(probe)")
        let decoded = try await ReferenceDecoder.decode(file, fileExtension: format.rawValue, channels: channels, sampleRate: rate)
        #expect(decoded.exitStatus == 0 && decoded.errors.isEmpty, "\(decoded.errors)")
        // Lossless formats come back exactly. ffmpeg does not trim libvorbis's last block by the
        // final granule position, so Vorbis may run up to one long block (2048 frames) over.
        let slack = format == .ogg ? 2_048 * channels : 2 * channels * rate / 100
        #expect(abs(decoded.samples.count - input.count) <= slack, "\(decoded.samples.count) of \(input.count)")
        let comparison = ReferenceDecoder.compare(input: input, decoded: decoded.samples, channels: channels)
        if format == .wav || format == .flac {
            #expect(decoded.samples == input)
        } else {
            // Lossy, but the same tone at the same level (within 1 dB).
            #expect(abs(20 * log10(comparison.level)) < 1, "level \(comparison.level)")
        }
    }

    /// sox has its own WAV, FLAC and Ogg Vorbis readers (not libsndfile's), and agrees.
    @Test(arguments: [AudioFormat.wav, .flac, .ogg])
    func soxReadsWAVFLACAndVorbis(format: AudioFormat) async throws {
        let input = TestAudio.sine(frames: 16_000, rate: 16_000)
        let decoded = try await TestAudio.soxDecode(try AudioEncoder(format: format, sampleRate: 16_000).encode(input), fileExtension: format.rawValue)
        #expect(decoded.status == 0, "\(decoded.errors)")
        #expect(decoded.samples.count == input.count)
        if format != .ogg { #expect(decoded.samples == input) }
    }

    /// ffmpeg's files in every container the mocks accept come back at their rate and length.
    @Test(arguments: [
        ("wav", ["-c:a", "pcm_s16le"]), ("aiff", ["-c:a", "pcm_s16be"]), ("caf", ["-c:a", "pcm_s16le"]), ("flac", ["-c:a", "flac"]),
        ("oga", ["-c:a", "flac"]), ("ogg", ["-c:a", "libvorbis"]),
        ("opus", ["-c:a", "libopus"]), ("mp3", ["-c:a", "libmp3lame", "-b:a", "64k"]),
    ])
    func theDecoderReadsWhatFFmpegWrites(fileExtension: String, codec: [String]) async throws {
        let input = TestAudio.sine(frames: 32_000, rate: 16_000)
        let file = try await ReferenceDecoder.encode(input, rate: 16_000, channels: 1, codec: codec, outputName: "out.\(fileExtension)")
        let audio = try AudioDecoder.read(file).pcm
        if fileExtension == "oga" { #expect(file.starts(with: Array("OggS".utf8)) && audio.samples == input) }
        #expect(audio.sampleRate == 16_000 && audio.channels == 1)
        #expect(abs(audio.duration - 2.0) < 0.001, "\(audio.duration) s")
        let level = ReferenceDecoder.compare(input: input, decoded: audio.samples, channels: 1).level
        #expect(abs(20 * log10(level)) < 1, "level \(level)")
    }

    @Test(arguments: AudioFormat.allCases)
    func tagsSurviveEveryFormat(format: AudioFormat) throws {
        let tags = AudioTags(title: "A title longer than the thirty characters of ID3v1", artist: "Emily.wav", comment: "synapse-mock-speech/1")
        let file = try AudioEncoder(format: format, sampleRate: 24_000).encode(TestAudio.sine(frames: 4_800, rate: 24_000), tags: tags)
        let read = try AudioDecoder.read(file).tags
        #expect(read.title == tags.title && read.artist == tags.artist && read.comment == tags.comment, "\(read)")
    }

    /// The same samples give the same bytes: libsndfile's clock-seeded Ogg serial numbers are
    /// replaced (with valid page CRCs, or ffmpeg would complain in the tests above).
    @Test(arguments: AudioFormat.allCases)
    func encodingIsDeterministic(format: AudioFormat) throws {
        let samples = TestAudio.sine(frames: 24_000, rate: 24_000)
        let encoder = AudioEncoder(format: format, sampleRate: 24_000)
        #expect(try encoder.encode(samples) == encoder.encode(samples))
    }

    @Test func notAudioThrowsLibsndfilesReason() {
        #expect(throws: AudioFileError.soundFile("Format not recognised.")) { try AudioDecoder.read(Array("definitely not audio".utf8)) }
        #expect(AudioDecoder.decode(Array("OggS but not really".utf8)) == nil)
    }

    @Test func mp3RefusesRatesMPEGCannotCarry() {
        #expect(throws: AudioFileError.self) { try AudioEncoder(format: .mp3, sampleRate: 96_000).encode([0, 0]) }
    }

    @Test func resamplingKeepsDurationAndPitch() throws {
        let input = TestAudio.sine(frames: 44_100, rate: 44_100, frequency: 1000)
        let output = try SampleRateConverter(from: 44_100, to: 16_000).convert(input, channels: 1)
        #expect(output.count == 16_000)
        var crossings = 0
        for index in 1..<output.count where (output[index - 1] < 0) != (output[index] < 0) { crossings += 1 }
        #expect(abs(crossings - 2000) <= 2)
        let peak = output[1000..<15_000].map { abs(Int($0)) }.max() ?? 0
        #expect(abs(peak - 9830) < 200)
        // Refused at once, with libsamplerate's reason (it once allocated 8 GiB first).
        let started = ContinuousClock.now
        #expect(throws: AudioFileError.resampling("SRC ratio outside [1/256, 256] range.")) {
            try SampleRateConverter(from: 1, to: 48_000).convert(input, channels: 1)
        }
        #expect(ContinuousClock.now - started < .seconds(1))
    }
}
