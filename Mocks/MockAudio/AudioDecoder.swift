import SynapseCore

/// Uploads as samples, for the mocks that analyse them (whisper, pyannote, deepfilter): WAV,
/// FLAC (native and Ogg) and MP3 — what the real services read through libsndfile and ffmpeg, less
/// Vorbis and Opus, which this package can write but not decode.
public enum AudioDecoder {
    /// The file's audio as 16-bit PCM; nil when it is not audio this package decodes (or is damaged).
    public static func decode(_ bytes: [UInt8]) -> WAVFile? {
        if let wav = try? WAVFile(bytes: bytes) { return wav }
        switch AudioProbe(bytes: bytes)?.codec {
        case .flac: return try? FLACDecoder.decode(bytes)
        case .mp3: return try? MP3Decoder.decode(bytes)
        case .vorbis, .opus, nil: return nil
        }
    }
}
