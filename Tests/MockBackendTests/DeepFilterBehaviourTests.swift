import Foundation
import MockAudio
import MockDeepFilter
import SynapseCore
import Testing

@Suite struct DeepFilterBehaviourTests {
    static let input = WAVFile.encode(samples: TestAudio.sine(frames: 32_000, rate: 16_000), sampleRate: 16_000)

    /// Compressed uploads are decoded, as the real service's ffmpeg does: a 2 s tone as MP3 and as
    /// FLAC converts back to a 2 s WAV, and the FLAC (lossless) to exactly the same samples.
    @Test func flacAndMP3UploadsAreDecoded() async throws {
        let samples = TestAudio.sine(frames: 32_000, rate: 16_000)
        let flac = try AudioEncoder(format: .flac, sampleRate: 16_000).encode(samples)
        let mp3 = try AudioEncoder(format: .mp3, sampleRate: 16_000, bitrate: 64).encode(samples)
        let (fromFLAC, fromMP3, denoised) = try await withLlamaServer(DeepFilterMock()) { base in
            (
                try await postForm(base + "/convert", [.file("file", flac, filename: "tone.flac"), .text("output_format", "wav")]),
                try await postForm(base + "/convert", [.file("file", mp3, filename: "tone.mp3"), .text("output_format", "wav")]),
                try await postForm(base + "/denoise", [.file("file", mp3, filename: "tone.mp3")])
            )
        }
        #expect(try WAVFile(bytes: fromFLAC.body).samples == samples)
        let decoded = try WAVFile(bytes: fromMP3.body)
        #expect(decoded.sampleRate == 16_000 && decoded.frameCount == 32_000)
        // LAME shapes its noise for the ear, so a tone at 64 kbit/s keeps about 26 dB of plain SNR;
        // one sample of misalignment would cost more than 10 dB of that.
        #expect(ReferenceDecoder.compare(input: samples, decoded: decoded.samples, channels: 1).snr > 20)
        #expect(abs(try WAVFile(bytes: denoised.body).duration - 2.0) < 0.001)
    }

    @Test func denoiseReturns48kMonoWAVOfTheSameDuration() async throws {
        let reply = try await withLlamaServer(DeepFilterMock()) { base in try await postForm(base + "/denoise", [.file("file", Self.input)]) }
        let wav = try WAVFile(bytes: reply.body)
        #expect(wav.sampleRate == 48_000 && wav.channels == 1)
        #expect(abs(wav.duration - 2.0) < 0.001)
    }

    /// Uploads in containers the hand-written decoders could not read (Ogg Vorbis, Ogg Opus, AIFF)
    /// are denoised too: 48 kHz mono of the input's duration.
    @Test(arguments: ["ogg", "opus", "aiff"])
    func uploadsInEveryContainerAreDenoised(format: String) async throws {
        let samples = TestAudio.sine(frames: 32_000, rate: 16_000)
        let file: [UInt8]
        if format == "aiff" {
            file = try await ReferenceDecoder.encode(samples, rate: 16_000, channels: 1, codec: ["-c:a", "pcm_s16be"], outputName: "out.aiff")
        } else {
            file = try AudioEncoder(format: try #require(AudioFormat(rawValue: format)), sampleRate: 16_000).encode(samples)
        }
        let reply = try await withLlamaServer(DeepFilterMock()) { base in try await postForm(base + "/denoise", [.file("file", file, filename: "in.\(format)")])
        }
        #expect(reply.status == 200)
        let wav = try WAVFile(bytes: reply.body)
        #expect(wav.sampleRate == 48_000 && wav.channels == 1)
        #expect(abs(wav.duration - 2.0) < 0.001)
    }

    /// Each output container is what ffprobe says it is, at the requested rate, of the input's length.
    @Test(arguments: [("wav", "pcm_s16le"), ("flac", "flac"), ("ogg", "vorbis"), ("mp3", "mp3")])
    func convertWritesTheRequestedContainer(format: String, codec: String) async throws {
        let reply = try await withLlamaServer(DeepFilterMock()) { base in
            try await postForm(
                base + "/convert", [.file("file", Self.input), .text("output_format", format), .text("sample_rate", "24000"), .text("bitrate", "64k")])
        }
        #expect(reply.status == 200)
        let probe = try await TestAudio.probe(Array(reply.body), fileExtension: format)
        #expect(probe.codec == codec && probe.sampleRate == 24_000 && probe.channels == 1)
        // ffprobe estimates an MP3's length from its frames, before the Info frame's trim (up to 0.1 s more).
        #expect(abs(probe.duration - 2.0) < (format == "mp3" ? 0.1 : 0.03), "\(probe)")
        if format == "wav" {
            let wav = try WAVFile(bytes: reply.body)
            #expect(wav.sampleRate == 24_000 && abs(wav.duration - 2.0) < 0.001)
        }
        if format == "mp3" {
            let magic = Array(reply.body.prefix(4))
            #expect(magic[0] == 0xFF && magic[1] & 0xE0 == 0xE0)
            #expect(magic[2] >> 4 == 8)  // MPEG-2 LSF bitrate index 8 = 64 kbit/s
        }
    }

    @Test func unknownFormatsNonAudioAndBadSampleRatesAreRejected() async throws {
        try await withLlamaServer(DeepFilterMock()) { base in
            let format = try await postForm(base + "/convert", [.file("file", Self.input), .text("output_format", "aiff")])
            #expect(format.status == 400)
            let text = try await postForm(base + "/convert", [.file("file", Array("not audio".utf8))])
            #expect(text.status == 500 && text.text == "Internal Server Error")
            let rate = try await postForm(base + "/convert", [.file("file", Self.input), .text("sample_rate", "fast")])
            #expect(rate.status == 422 && rate.text.contains("int_parsing"))
        }
    }
}
