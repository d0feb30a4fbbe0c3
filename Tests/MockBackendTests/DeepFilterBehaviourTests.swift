import Foundation
import MockAudio
import MockDeepFilter
import SynapseCore
import Testing

@Suite struct DeepFilterBehaviourTests {
    static let input = WAVFile.encode(samples: AudioEncoderTests.sine(frames: 32_000, rate: 16_000), sampleRate: 16_000)

    /// Compressed uploads are decoded, as the real service's ffmpeg does: a 2 s tone as MP3 and as
    /// FLAC converts back to a 2 s WAV, and the FLAC (lossless) to exactly the same samples.
    @Test func flacAndMP3UploadsAreDecoded() async throws {
        let samples = AudioEncoderTests.sine(frames: 32_000, rate: 16_000)
        let flac = FLACEncoder(channels: 1, sampleRate: 16_000).encodeFile(samples: samples)
        let mp3 = try MPEGAudioEncoder(channels: 1, sampleRate: 16_000, bitrate: 64).encodeFile(samples: samples)
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
        #expect(ReferenceDecoder.compare(input: samples, decoded: decoded.samples, channels: 1).snr > 40)
        #expect(abs(try WAVFile(bytes: denoised.body).duration - 2.0) < 0.001)
    }

    @Test func denoiseReturns48kMonoWAVOfTheSameDuration() async throws {
        let reply = try await withLlamaServer(DeepFilterMock()) { base in try await postForm(base + "/denoise", [.file("file", Self.input)]) }
        let wav = try WAVFile(bytes: reply.body)
        #expect(wav.sampleRate == 48_000 && wav.channels == 1)
        #expect(abs(wav.duration - 2.0) < 0.001)
    }

    @Test(arguments: ["wav", "flac", "ogg", "mp3"])
    func convertWritesTheRequestedContainer(format: String) async throws {
        let reply = try await withLlamaServer(DeepFilterMock()) { base in
            try await postForm(base + "/convert", [.file("file", Self.input), .text("output_format", format), .text("sample_rate", "24000"), .text("bitrate", "64k")])
        }
        #expect(reply.status == 200)
        let magic = Array(reply.body.prefix(4))
        switch format {
        case "wav":
            let wav = try WAVFile(bytes: reply.body)
            #expect(wav.sampleRate == 24_000 && abs(wav.duration - 2.0) < 0.001)
        case "flac": #expect(magic == Array("fLaC".utf8))
        case "ogg": #expect(magic == Array("OggS".utf8))
        default:
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
