import MockAudio
import SynapseCore
import Testing

/// Pitch of a mono signal by autocorrelation over 70–300 Hz: the "simple spectral feature".
private func estimatedPitch(_ samples: [Int16], from start: Int, count: Int = 2048, sampleRate: Int = 24000) -> Double {
    let window = samples[start..<start + count].map(Double.init)
    var bestLag = 0
    var best = -Double.infinity
    for lag in (sampleRate / 300)...(sampleRate / 70) {
        var sum = 0.0
        for index in 0..<(count - lag) { sum += window[index] * window[index + lag] }
        let normalised = sum / Double(count - lag)
        if normalised > best {
            best = normalised
            bestLag = lag
        }
    }
    return Double(sampleRate) / Double(bestLag)
}

@Suite struct MockSpeechTests {
    @Test func recoversTextAndVoiceFromTheFile() throws {
        let text = "Hello there, this is mock speech. Ünïcode too!"
        let wav = MockSpeech.synthesize(text: text, voice: "Alice.wav")
        let decoded = try #require(MockSpeech.decode(wav))
        #expect(decoded.text == text)
        #expect(decoded.voice == "Alice.wav")
        #expect(MockSpeech.decode(WAVFile.encode(samples: [0, 0], sampleRate: 24000)) == nil)
    }

    @Test func writesA24kHzMonoPCM16File() throws {
        let file = try WAVFile(bytes: MockSpeech.synthesize(text: "Testing one two three.", voice: "Emily.wav"))
        #expect(file.sampleRate == 24000)
        #expect(file.channels == 1)
        #expect(file.header.format.bitsPerSample == 16)
        #expect(file.samples.contains { abs(Int($0)) > 5000 })
    }

    @Test func isDeterministic() {
        let first = MockSpeech.synthesize(text: "Same input, same bytes.", voice: "Ryan.wav", speed: 1.25)
        let second = MockSpeech.synthesize(text: "Same input, same bytes.", voice: "Ryan.wav", speed: 1.25)
        #expect(first == second)
    }

    @Test func durationGrowsWithTheTextAndShrinksWithSpeed() throws {
        let short = try #require(MockSpeech.analyze(MockSpeech.synthesize(text: "One two three four five.", voice: "Eli.wav")))
        let long = try #require(
            MockSpeech.analyze(MockSpeech.synthesize(text: String(repeating: "One two three four five. ", count: 4), voice: "Eli.wav")))
        #expect(long.duration > 3.5 * short.duration)
        #expect(long.duration < 4.5 * short.duration)
        #expect(abs(short.duration - 0.06 * 28) < 0.001)  // 24 characters + 4 edge units

        let fast = try #require(MockSpeech.analyze(MockSpeech.synthesize(text: "One two three four five.", voice: "Eli.wav", speed: 2)))
        #expect(abs(fast.duration - short.duration / 2) < 0.001)
        #expect(MockSpeech.duration(of: "") == MockSpeech.minimumDuration)
    }

    @Test func layoutIsRecoveredFromTextAndDuration() throws {
        let text = "First sentence here. Second one, with a comma."
        let wav = MockSpeech.synthesize(text: text, voice: "Cora.wav", speed: 0.8)
        let utterance = try #require(MockSpeech.analyze(wav))
        let layout = utterance.layout
        #expect(layout == MockSpeech.Layout(text: text, duration: MockSpeech.duration(of: text, speed: 0.8)))
        #expect(layout.words.map(\.text) == ["First", "sentence", "here.", "Second", "one,", "with", "a", "comma."])
        #expect(layout.words.first!.start > 0)
        #expect(layout.words.last!.end < utterance.duration)
        // The pause after a full stop is longer than the one between plain words.
        let sentenceGap = layout.words[3].start - layout.words[2].end
        let wordGap = layout.words[1].start - layout.words[0].end
        #expect(sentenceGap > 3 * wordGap)
    }

    @Test func wordsAreVoicedAndGapsAreSilent() throws {
        let text = "Alpha beta. Gamma"
        let file = try WAVFile(bytes: MockSpeech.synthesize(text: text, voice: "Julian.wav"))
        let layout = MockSpeech.Layout(text: text, duration: file.duration)
        func energy(_ from: Double, _ to: Double) -> Double {
            let range = Int(from * 24000)..<Int(to * 24000)
            return range.reduce(0.0) { $0 + Double(file.samples[$1]) * Double(file.samples[$1]) } / Double(range.count)
        }
        let gap = energy(layout.words[1].end + 0.01, layout.words[2].start - 0.01)
        let word = energy(layout.words[1].start + 0.02, layout.words[1].end - 0.02)
        #expect(gap == 0)
        #expect(word > 1_000_000)
    }

    @Test func differentVoicesHaveDifferentPitch() throws {
        let text = "Mmmmmmmmmmmm aaaaaaaaaaaa."
        var pitches: [String: Double] = [:]
        for voice in ["Alice.wav", "Emily.wav", "Thomas.wav"] {
            let samples = MockSpeech.samples(text: text, voice: voice)
            let layout = MockSpeech.Layout(text: text, duration: MockSpeech.duration(of: text))
            let start = Int((layout.words[0].start + 0.1) * 24000)
            let measured = estimatedPitch(samples, from: start)
            let expected = MockSpeech.fundamentalFrequency(of: voice)
            #expect(abs(measured - expected) / expected < 0.08, "\(voice): measured \(measured) Hz, expected about \(expected) Hz")
            pitches[voice] = measured
        }
        #expect(Set(pitches.values.map { Int($0 / 5) }).count == 3)
    }

    @Test func namedVoicesNeverShareAPitch() {
        let pitches = MockSpeech.namedVoices.map { MockSpeech.fundamentalFrequency(of: "\($0).wav") }
        #expect(Set(pitches).count == MockSpeech.namedVoices.count)
    }

    @Test func clonesOfOneReferenceShareAVoiceAndClonesOfOthersDoNot() {
        let emily = MockSpeech.synthesize(text: "A reference recording for cloning.", voice: "Emily.wav")
        let tone = WAVFile.encode(samples: (0..<8000).map { Int16(truncatingIfNeeded: $0 * 37) }, sampleRate: 16000)
        let first = MockSpeech.cloneVoice(referenceName: "ref.wav", referenceBytes: emily)
        let again = MockSpeech.cloneVoice(referenceName: "ref.wav", referenceBytes: emily)
        let other = MockSpeech.cloneVoice(referenceName: "ref.wav", referenceBytes: tone)
        #expect(first == again)
        #expect(first != other)
        #expect(first.hasPrefix("clone:ref.wav#"))
        #expect(first.hasSuffix("@Emily.wav"))
        // A clone of mock speech sounds like the voice it was cloned from.
        #expect(MockSpeech.fundamentalFrequency(of: first) == MockSpeech.fundamentalFrequency(of: "Emily.wav"))
        #expect(MockSpeech.speakerIdentity(of: other) != MockSpeech.speakerIdentity(of: first))
    }
}
