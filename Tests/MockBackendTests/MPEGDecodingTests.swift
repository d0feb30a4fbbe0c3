import Foundation
import MockAudio
import Testing

/// Decodes `MPEGAudioEncoder` streams with ffmpeg and compares the audio with the input: the
/// structural tests cannot tell whether the Huffman data means what the encoder intended.
@Suite struct MPEGDecodingTests {
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

    /// The Info frame's delay and padding let ffmpeg trim the output to exactly the input, aligned
    /// to sample 0, so the comparison takes no delay: a wrong delay field shifts the audio and the
    /// SNR collapses. Each case's floor is about 3 dB under what it measured (the weaker channel),
    /// set by the bits per channel; a broken MDCT, alias butterfly, Huffman code or analysis window
    /// costs far more than that.
    @Test(arguments: [
        (16_000, 1, 64, 54.0), (22_050, 2, 96, 51.0), (24_000, 1, 32, 46.0), (32_000, 2, 128, 51.0),
        (44_100, 1, 128, 61.0), (44_100, 2, 192, 52.0), (48_000, 1, 64, 54.0),
    ])
    func ffmpegDecodesTheToneMixCloseToTheInput(rate: Int, channels: Int, bitrate: Int, floor: Double) throws {
        let frames = rate * 3 / 2
        let input = Self.toneMix(frames: frames, rate: rate, channels: channels)
        let encoder = try MPEGAudioEncoder(channels: channels, sampleRate: rate, bitrate: bitrate)
        let result = try ReferenceDecoder.decode(encoder.encodeFile(samples: input), fileExtension: "mp3", channels: channels)
        #expect(result.exitStatus == 0 && result.errors.isEmpty, "ffmpeg reported: \(result.errors)")
        let decoded = result.samples
        #expect(decoded.count == input.count, "decoded \(decoded.count / channels) frames for \(frames)")
        for channel in 0..<channels {
            let ratio = ReferenceDecoder.compare(input: input, decoded: decoded, channels: channels, channel: channel).snr
            #expect(ratio >= floor, "channel \(channel): SNR \(ratio) dB")
        }
    }

    /// A single tone anywhere in a polyphase subband, edges included, comes back as cleanly as at its
    /// centre: the analysis window is the standard's C[i], which decoders' synthesis window D[i] =
    /// 32 · C[i] reconstructs. With a window of another design the gain dips towards the band edges
    /// (it did: 31 dB a quarter band from an edge, 48 at the edge, against 66 mid-band).
    @Test(arguments: [0.0, 0.125, 0.25, 0.375, 0.5, 0.75])
    func aToneComesBackCleanlyAnywhereInASubband(position: Double) throws {
        let rate = 44_100
        let frequency = (10 + position) * Double(rate) / 64
        let input = (0..<rate).map { Int16(0.3 * 32767 * sin(2 * Double.pi * frequency * Double($0) / Double(rate))) }
        let encoder = try MPEGAudioEncoder(channels: 1, sampleRate: rate, bitrate: 320)
        let result = try ReferenceDecoder.decode(encoder.encodeFile(samples: input), fileExtension: "mp3", channels: 1)
        #expect(result.samples.count == input.count)
        let comparison = ReferenceDecoder.compare(input: input, decoded: result.samples, channels: 1)
        #expect(comparison.snr >= 69, "\(frequency) Hz: SNR \(comparison.snr) dB")
        #expect(abs(comparison.level - 1) < 0.002, "\(frequency) Hz: level \(comparison.level)")
    }
}
