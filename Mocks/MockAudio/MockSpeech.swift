import Foundation
import SynapseCore

/// Deterministic stand-in for synthesised speech: 24 kHz mono PCM16 WAV whose length follows the
/// text, with one voiced, harmonic burst per word at a pitch fixed by the voice, and the text and
/// voice recoverable from the file.
///
/// ```
/// text, voice, speed ──► Layout (word intervals) ──► samples ──► WAV + LIST/INFO
///                                                                 ICMT = text
///                                                                 IART = voice
///                                                                 ISFT = marker
/// ```
///
/// Readers (the STT, diarisation and denoise mocks) call `analyze(_:)` or `decode(_:)`, and
/// get the word timings back from `Layout(text:duration:)`.
public enum MockSpeech {
    /// Output rate of every mock utterance, as Chatterbox's (24 kHz).
    public static let sampleRate = 24_000
    /// Seconds of audio per layout unit (about one character) at speed 1.
    public static let secondsPerUnit = 0.06
    /// The shortest utterance at speed 1, in seconds (an empty or one-letter text still sounds).
    public static let minimumDuration = 0.5
    /// The INFO tag that tells a reader the file is mock speech.
    public static let marker = WAVInfoTag("ISFT", "synapse-mock-speech/1")

    /// What a mock speech file says.
    public struct Utterance: Equatable, Sendable {
        public var text: String
        public var voice: String
        /// Duration of the audio in seconds.
        public var duration: Double
        /// Word timings, recomputed from text and duration.
        public var layout: Layout { Layout(text: text, duration: duration) }
    }

    /// Duration in seconds of `text` spoken at `speed` (2 = twice as fast, half as long).
    public static func duration(of text: String, speed: Double = 1) -> Double {
        let base = max(minimumDuration, Layout.units(of: text) * secondsPerUnit)
        let safeSpeed = speed.isFinite && speed > 0.05 ? speed : 1
        // Whole samples, so the duration read back from the file equals this one.
        return (base / safeSpeed * Double(sampleRate)).rounded() / Double(sampleRate)
    }

    /// The utterance as a complete WAV file.
    public static func synthesize(text: String, voice: String, speed: Double = 1) -> [UInt8] {
        WAVFile.encode(samples: samples(text: text, voice: voice, speed: speed), sampleRate: sampleRate, infoTags: infoTags(text: text, voice: voice))
    }

    /// The INFO tags a mock speech file carries.
    public static func infoTags(text: String, voice: String) -> [WAVInfoTag] {
        [marker, WAVInfoTag("IART", voice), WAVInfoTag("ICMT", text)]
    }

    /// The tags that carry text and voice in a compressed mock speech file (FLAC, Ogg, MP3): the
    /// text as title, the voice as artist, the marker as comment. (Not the WAV's software tag:
    /// in MP3, libsndfile passes LAME only title, artist, album, year, comment, track and genre,
    /// and LAME writes its own version as the software.)
    public static func compressedTags(text: String, voice: String) -> AudioTags {
        AudioTags(title: text, artist: voice, comment: marker.value)
    }

    /// Text, voice and duration of a mock speech file — a WAV with the INFO tags, or any other
    /// container libsndfile reads with `compressedTags`; nil if the bytes are not one.
    public static func analyze(_ bytes: [UInt8]) -> Utterance? {
        guard let header = try? WAVHeader.parse(bytes) else { return (try? AudioDecoder.read(bytes)).flatMap(analyze) }
        guard header.infoValue(marker.id) == marker.value, let text = header.infoValue("ICMT"), let voice = header.infoValue("IART")
        else { return nil }
        return Utterance(text: text, voice: voice, duration: header.duration(inFileOfSize: bytes.count))
    }

    /// Text, voice and duration of decoded mock speech: a WAV's INFO tags, or `compressedTags`;
    /// nil if it is not mock speech. The duration is what the decoder returned, so after a lossy
    /// codec it is the codec's (MP3 and Opus keep it to the sample when their headers say how much
    /// padding to trim).
    public static func analyze(_ audio: DecodedAudio) -> Utterance? {
        let tags = audio.tags
        if tags.software == marker.value, let text = tags.comment, let voice = tags.artist {
            return Utterance(text: text, voice: voice, duration: audio.pcm.duration)
        }
        guard tags.comment == marker.value, let text = tags.title, let voice = tags.artist else { return nil }
        return Utterance(text: Self.undoingLatin1(text), voice: Self.undoingLatin1(voice), duration: audio.pcm.duration)
    }

    /// `text` with a Latin-1 misreading undone: LAME stores ID3 text as Latin-1, so the UTF-8 bytes
    /// of `"Ünï"` come back from mpg123 as `"Ã\u{9C}nÃ¯"`. When every scalar is a byte and those
    /// bytes are valid UTF-8, they were UTF-8; otherwise the text is returned as it is (real
    /// Latin-1 such as `"é"` alone is not valid UTF-8, and ASCII is the same either way).
    static func undoingLatin1(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.contains(where: { $0.value > 0x7F }), scalars.allSatisfy({ $0.value <= 0xFF }) else { return text }
        return String(bytes: scalars.map { UInt8($0.value) }, encoding: .utf8) ?? text
    }

    /// Text and voice of a mock speech file; nil if the bytes are not one.
    public static func decode(_ bytes: [UInt8]) -> (text: String, voice: String)? {
        analyze(bytes).map { ($0.text, $0.voice) }
    }

    // MARK: Waveform

    /// The samples of the utterance (mono, 24 kHz).
    public static func samples(text: String, voice: String, speed: Double = 1) -> [Int16] {
        let duration = duration(of: text, speed: speed)
        let count = Int((duration * Double(sampleRate)).rounded())
        var signal = [Double](repeating: 0, count: count)
        let layout = Layout(text: text, duration: duration)
        let f0 = fundamentalFrequency(of: voice)
        let tract = formantScale(of: voice)
        for (index, word) in layout.words.enumerated() {
            // Gentle declination over the sentence, as in read speech.
            let sentencePitch = 1.0 - 0.08 * Double(index) / Double(max(1, layout.words.count))
            render(word, f0: f0 * sentencePitch, formantScale: tract, into: &signal)
        }
        // Keep headroom: harmonics that line up in phase could otherwise clip.
        let peak = signal.reduce(0) { max($0, abs($1)) }
        let scale = peak > 0.8 ? 0.8 / peak : 1
        return signal.map { WAVFile.clampedPCM16($0 * scale) }
    }

    /// Adds one voiced word: harmonics of a slightly falling pitch, shaped by two formants,
    /// with a syllable-rate amplitude swell and short fades so words do not click.
    private static func render(_ word: Layout.Word, f0: Double, formantScale: Double, into signal: inout [Double]) {
        let rate = Double(sampleRate)
        let first = max(0, Int((word.start * rate).rounded()))
        let last = min(signal.count, Int((word.end * rate).rounded()))
        guard last > first else { return }
        let length = last - first
        let (baseF1, baseF2) = formants(of: word.text)
        let (f1, f2) = (baseF1 * formantScale, baseF2 * formantScale)
        // Harmonics up to about 3.5 kHz, so both formants shape the spectrum at any pitch.
        let harmonics = max(1, min(40, Int(3500 / f0)))
        let syllables = Double(max(1, word.text.count / 3))
        let fade = min(Double(length) / 2, 0.015 * rate)
        // Harmonic gains depend on the pitch, which drifts slowly: compute them once per word
        // at the mean pitch. The fundamental always sounds; harmonics near a formant are boosted.
        let gains = (1...harmonics).map { k in
            let frequency = Double(k) * f0
            return 1 / Double(k) + 0.8 * resonance(frequency, centre: f1, width: 180)
                + 0.5 * resonance(frequency, centre: f2, width: 250)
        }
        var phase = 0.0
        for offset in 0..<length {
            let position = Double(offset) / Double(length)
            let pitch = f0 * (1.06 - 0.12 * position)
            phase += 2 * Double.pi * pitch / rate
            if phase > 2 * Double.pi { phase -= 2 * Double.pi }
            // sin(k·φ) by the Chebyshev recurrence: one sin and one cos per sample, not one per harmonic.
            let twoCos = 2 * cos(phase)
            var previous = 0.0
            var current = sin(phase)
            var value = 0.0
            for k in 0..<harmonics {
                value += gains[k] * current
                (previous, current) = (current, twoCos * current - previous)
            }
            let swell = 0.65 + 0.35 * abs(sin(Double.pi * syllables * position))
            let edge = min(1, Double(offset) / fade, Double(length - 1 - offset) / fade)
            signal[first + offset] += 0.18 * value * swell * edge
        }
    }

    private static func resonance(_ frequency: Double, centre: Double, width: Double) -> Double {
        let distance = (frequency - centre) / width
        return exp(-distance * distance)
    }
}
