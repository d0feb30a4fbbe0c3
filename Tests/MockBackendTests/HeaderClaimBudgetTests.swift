import Foundation
import MockAudio
import SynapseCore
import Testing

@testable import MockDeepFilter
@testable import MockWhisper

/// Sizes taken from an upload's header claims (sample rate, sample count) are bounded before
/// anything is allocated from them: a small file must not make a mock allocate without limit.
@Suite struct HeaderClaimBudgetTests {
    @Test func aTranscriptOfAClaimedYearOfAudioIsCapped() {
        let segments = WhisperTranscriber.hashedWords(seed: [1, 2, 3], duration: 6.9e10)
        #expect(segments.reduce(0) { $0 + $1.words.count } == WhisperTranscriber.maximumWords)
        #expect(!WhisperTranscriber.hashedWords(seed: [1], duration: .infinity).isEmpty)
    }

    @Test func resamplingAOneHertzClaimToTheTopRateIsRefused() {
        // 1 MB of 8-bit samples "at 1 Hz": 10⁶ s, 6.5·10¹¹ samples at 655,350 Hz.
        let wav = WAVFile(samples: [Int16](repeating: 0, count: 1_000_000), sampleRate: 1)
        #expect(!AudioConverter.fits(wav, rate: 655_350, channels: 1))
        #expect(throws: AudioConverter.Failure.self) { try AudioConverter.convert(wav, to: .wav, sampleRate: 655_350, bitrate: nil) }
        #expect(!AudioConverter.fits(wav, rate: 48_000, channels: 1))
        #expect(AudioConverter.fits(WAVFile(samples: [Int16](repeating: 0, count: 48_000), sampleRate: 16_000), rate: 48_000, channels: 1))
    }
}
