import SynapseCore

/// How a voice name turns into sound, and how clone voices are named.
extension MockSpeech {
    /// Prefix of the voice recorded for speech cloned from a reference clip.
    public static let clonePrefix = "clone:"

    /// The voice to record for speech cloned from a reference clip.
    ///
    /// Shaped `clone:<file name>#<sha256 of the clip, 16 hex>` plus `@<voice>` when the clip is
    /// itself mock speech, e.g. `clone:my_voice.wav#1a2b…@Emily.wav`. Two clones of the same clip
    /// get the same voice; clones of different clips differ.
    public static func cloneVoice(referenceName: String, referenceBytes: [UInt8]) -> String {
        let digest = String(SHA256.hex(referenceBytes).prefix(16))
        var voice = "\(clonePrefix)\(referenceName)#\(digest)"
        if let source = decode(referenceBytes) { voice += "@\(source.voice)" }
        return voice
    }

    /// Who a voice sounds like: the voice itself, or for a clone the voice of the mock speech it
    /// was cloned from, or else the clip's digest. Two voices with the same speaker identity
    /// have the same pitch.
    public static func speakerIdentity(of voice: String) -> String {
        guard voice.hasPrefix(clonePrefix) else { return voice }
        if let at = voice.lastIndex(of: "@") { return speakerIdentity(of: String(voice[voice.index(after: at)...])) }
        if let hash = voice.lastIndex(of: "#") { return String(voice[hash...]) }
        return voice
    }

    /// Voices the mocks use by name (Chatterbox's predefined voices): each gets its own pitch
    /// step, so no two of them collide.
    public static let namedVoices = [
        "Abigail", "Adrian", "Alexander", "Alice", "Austin", "Axel", "Connor", "Cora", "Elena", "Eli", "Emily",
        "Everett", "Gabriel", "Gianna", "Henry", "Ian", "Jade", "Jeremiah", "Jordan", "Julian", "Layla",
        "Leonardo", "Michael", "Miles", "Olivia", "Ryan", "Taylor", "Thomas",
    ]

    /// The speaking pitch of a voice in Hz, between 80 and 255, fixed per speaker identity.
    ///
    /// | voice | pitch |
    /// | --- | --- |
    /// | a named voice (`Alice.wav` or `Alice`), index i in `namedVoices` | 82 + 6.25 × i (82…251 Hz) |
    /// | anything else | 80 + 0.5 × (FNV-1a(identity) mod 350) |
    ///
    /// Neighbouring named voices are at least 2.5 % apart, enough for an autocorrelation pitch
    /// estimate to tell them apart.
    public static func fundamentalFrequency(of voice: String) -> Double {
        let identity = speakerIdentity(of: voice)
        let stem = identity.hasSuffix(".wav") ? String(identity.dropLast(4)) : identity
        if let index = namedVoices.firstIndex(of: stem) { return 82 + 6.25 * Double(index) }
        return 80 + 0.5 * Double(stableHash(identity) % 350)
    }

    /// How much a voice's formants are shifted (a longer or shorter vocal tract), 0.85…1.2,
    /// a second spectral trait that differs between voices.
    public static func formantScale(of voice: String) -> Double {
        0.85 + 0.35 * Double((stableHash(speakerIdentity(of: voice)) >> 20) % 1000) / 1000
    }

    /// FNV-1a 64 of the UTF-8 bytes: stable across runs and platforms, unlike `Hasher`.
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    /// Formant centres (F1, F2, Hz) of the vowel a word is voiced with, chosen by its first vowel letter.
    static func formants(of word: String) -> (Double, Double) {
        for character in word.lowercased() {
            switch character {
            case "a": return (750, 1200)
            case "e": return (500, 1900)
            case "i", "y": return (300, 2300)
            case "o": return (500, 900)
            case "u": return (320, 800)
            default: continue
            }
        }
        return (600, 1500)
    }
}
