import Foundation
import MockAudio
import SynapseCore

/// The mock's diarisation and verification "models", computed from the audio itself.
///
/// * Speech regions: 20 ms frame RMS above −40 dBFS, gaps under 0.3 s bridged, regions under 0.1 s dropped.
/// * Who speaks: a mock-speech file (`MockSpeech`) is one speaker, its voice's identity. Otherwise each
///   region's median autocorrelation pitch (zero-crossing rate when unvoiced) is a one-number voice
///   print; regions within 12 % of a cluster's pitch join it.
/// * Similarity of two clips: 0.95 · exp(−(ln(p₁/p₂) / 0.08)²) of their voice prints, so one voice
///   scores ~0.95 and voices 10 % apart ~0.2; two mock-speech files of different speakers score at most 0.3.
struct SpeakerAnalyzer: Sendable {
    struct Segment: Equatable, Sendable {
        var speaker: Int
        var start: Double
        var end: Double
    }

    /// Speaker turns of `audio`, with at most / at least / exactly the requested number of speakers.
    func diarize(_ audio: DecodedAudio, numSpeakers: Int?, minSpeakers: Int?, maxSpeakers: Int?) -> (segments: [Segment], speakers: Int) {
        let features = AudioFeatures(samples: audio.pcm.monoFloatSamples, sampleRate: audio.pcm.sampleRate)
        let regions = features.activeIntervals()
        guard !regions.isEmpty else { return ([], 0) }
        var prints: [Double]
        if MockSpeech.analyze(audio) != nil {
            prints = Array(repeating: 1, count: regions.count)
        } else {
            prints = regions.map { Self.voicePrint(of: features, in: $0) }
        }
        // Greedy clustering in time order; each cluster keeps its first print as centre.
        var centres: [Double] = []
        var labels: [Int] = []
        for value in prints {
            if let match = centres.firstIndex(where: { abs(log(value / $0)) < 0.12 }) {
                labels.append(match)
            } else {
                centres.append(value)
                labels.append(centres.count - 1)
            }
        }
        let upper = numSpeakers ?? maxSpeakers ?? Int.max
        // Merge the two closest centres until the count fits the upper bound.
        while centres.count > max(1, upper) {
            var best = (0, 1, Double.infinity)
            for i in 0..<centres.count {
                for j in (i + 1)..<centres.count where abs(log(centres[i] / centres[j])) < best.2 { best = (i, j, abs(log(centres[i] / centres[j]))) }
            }
            labels = labels.map { $0 == best.1 ? best.0 : ($0 > best.1 ? $0 - 1 : $0) }
            centres.remove(at: best.1)
        }
        let segments = zip(regions, labels).map {
            Segment(speaker: $1, start: PythonRound.round($0.lowerBound), end: PythonRound.round($0.upperBound))
        }
        let lower = numSpeakers ?? minSpeakers ?? 0
        return (segments, max(centres.count, min(lower, regions.count)))
    }

    /// Cosine-like similarity in 0...0.95 of two clips' voices.
    func similarity(_ first: DecodedAudio, _ second: DecodedAudio) -> Double {
        let printA = Self.voicePrint(of: AudioFeatures(samples: first.pcm.monoFloatSamples, sampleRate: first.pcm.sampleRate), in: nil)
        let printB = Self.voicePrint(of: AudioFeatures(samples: second.pcm.monoFloatSamples, sampleRate: second.pcm.sampleRate), in: nil)
        let ratio = log(printA / printB) / 0.08
        var score = 0.95 * exp(-ratio * ratio)
        if let a = MockSpeech.analyze(first), let b = MockSpeech.analyze(second) {
            let same = MockSpeech.speakerIdentity(of: a.voice) == MockSpeech.speakerIdentity(of: b.voice)
            score = same ? max(score, 0.9) : min(score, 0.3)
        }
        return (score * 10_000).rounded() / 10_000
    }

    /// Median pitch in Hz (or a zero-crossing stand-in when unvoiced) of the whole clip or a region.
    static func voicePrint(of features: AudioFeatures, in region: ClosedRange<Double>?) -> Double {
        var slice = features
        if let region {
            let start = min(features.samples.count, Int(region.lowerBound * Double(features.sampleRate)))
            let end = min(features.samples.count, max(start, Int(region.upperBound * Double(features.sampleRate))))
            slice = AudioFeatures(samples: Array(features.samples[start..<end]), sampleRate: features.sampleRate)
        }
        if let pitch = slice.medianPitch { return pitch }
        return max(1, slice.zeroCrossingRate / 2)
    }
}

/// Python-style rounding to 2 decimals for times.
enum PythonRound {
    static func round(_ value: Double) -> Double { Double(String(format: "%.2f", value)) ?? value }
}
