import MockAudio
import SynapseCore
import Synchronization

/// The mock's `reference_audio/` folder, in memory: shipped clips plus uploads, forgotten on reset.
final class ChatterboxReferenceStore: Sendable {
    /// One stored clip.
    struct Clip: Sendable {
        var bytes: [UInt8]
        /// Seconds, when the clip is audio soundfile reads (the server's check uses its `info`);
        /// nil otherwise.
        var duration: Double?
    }

    private let shipped: [String: Clip]
    private let clips: Mutex<[String: Clip]>

    init(shippedNames: [String]) {
        var shipped: [String: Clip] = [:]
        for name in shippedNames { shipped[name] = Self.clip(Self.shippedRecording(name)) }
        self.shipped = shipped
        self.clips = Mutex(shipped)
    }

    /// A clip as stored, with its duration read from the bytes.
    static func clip(_ bytes: [UInt8]) -> Clip {
        // A WAV header is enough (and cheap); anything else is decoded, as soundfile would.
        let duration = (try? WAVHeader.parse(bytes)).map { $0.duration(inFileOfSize: bytes.count) } ?? AudioDecoder.decode(bytes)?.duration
        return Clip(bytes: bytes, duration: duration)
    }

    /// Shipped recordings already synthesised, shared by every mock instance in the process
    /// (they never change, and synthesis costs a noticeable fraction of a second in debug builds).
    private static let recordings = Mutex<[String: [UInt8]]>([:])

    /// The clip a shipped reference holds: about seven seconds of mock speech in that voice.
    private static func shippedRecording(_ name: String) -> [UInt8] {
        if let cached = recordings.withLock({ $0[name] }) { return cached }
        let speaker = name.hasSuffix(".wav") ? String(name.dropLast(4)) : name
        let bytes = MockSpeech.synthesize(
            text: "This is \(speaker) speaking. I recorded this sample so that my voice can be cloned by the server.",
            voice: name)
        recordings.withLock { $0[name] = bytes }
        return bytes
    }

    /// File names, sorted by code point as Python's `sorted`.
    var names: [String] {
        clips.withLock { Array($0.keys) }.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    }

    func clip(named name: String) -> Clip? { clips.withLock { $0[name] } }

    /// Stores a clip unless the name exists. Returns false when it was already there (kept as is).
    func insertIfAbsent(_ name: String, clip: Clip) -> Bool {
        clips.withLock { clips in
            guard clips[name] == nil else { return false }
            clips[name] = clip
            return true
        }
    }

    /// Back to the shipped clips only.
    func reset() { clips.withLock { $0 = shipped } }
}
