import Foundation
import MockAudio
import Testing

/// Decodes `MPEGAudioEncoder` streams with ffmpeg and compares the audio with the input: the
/// structural tests cannot tell whether the Huffman data means what the encoder intended.
@Suite struct MPEGDecodingTests {
    /// Samples by which decoded Layer III audio lags the input: 576 of MDCT overlap plus the
    /// polyphase analysis and synthesis filters.
    static let codecDelay = 1057

    /// 440 Hz and 3 kHz, the second channel at other levels and phase.
    static func toneMix(frames: Int, rate: Int, channels: Int) -> [Int16] {
        var samples: [Int16] = []
        for index in 0..<frames {
            let time = Double(index) / Double(rate)
            let low = sin(2 * Double.pi * 440 * time)
            let high = sin(2 * Double.pi * 3000 * time)
            samples.append(Int16(32767 * (0.3 * low + 0.2 * high)))
            if channels == 2 { samples.append(Int16(32767 * (0.25 * sin(2 * Double.pi * 440 * time + 1) + 0.25 * high))) }
        }
        return samples
    }

    /// Each case's floor is about 3 dB under what it measured: the SNR depends on how close 3 kHz lies
    /// to a polyphase band edge at that rate (27 dB at 24 and 32 kHz, 44 at 44.1 kHz) and on the
    /// bits per channel. A broken MDCT, alias butterfly or Huffman code costs more than that.
    @Test(arguments: [
        (16_000, 1, 64, 28.0), (22_050, 2, 96, 31.0), (24_000, 1, 32, 24.0), (32_000, 2, 128, 24.0),
        (44_100, 1, 128, 40.0), (44_100, 2, 192, 40.0), (48_000, 1, 64, 47.0),
    ])
    func ffmpegDecodesTheToneMixCloseToTheInput(rate: Int, channels: Int, bitrate: Int, floor: Double) throws {
        let frames = rate * 3 / 2
        let input = Self.toneMix(frames: frames, rate: rate, channels: channels)
        let encoder = try MPEGAudioEncoder(channels: channels, sampleRate: rate, bitrate: bitrate)
        let result = try ReferenceDecoder.decode(encoder.encodeFile(samples: input), fileExtension: "mp3", channels: channels)
        #expect(result.exitStatus == 0 && result.errors.isEmpty, "ffmpeg reported: \(result.errors)")
        let decoded = result.samples
        let samplesPerFrame = rate >= 32_000 ? 1152 : 576
        let decodedFrames = decoded.count / channels
        #expect(decodedFrames >= frames && decodedFrames < frames + samplesPerFrame, "decoded \(decodedFrames) frames for \(frames)")
        for channel in 0..<channels {
            let ratio = ReferenceDecoder.compare(input: input, decoded: decoded, channels: channels, channel: channel, delay: Self.codecDelay).snr
            #expect(ratio >= floor, "channel \(channel): SNR \(ratio) dB")
        }
    }
}
