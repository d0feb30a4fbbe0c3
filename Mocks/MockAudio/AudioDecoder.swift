import CSndFile
import SynapseCore

/// Uploads as samples, for the mocks that analyse them (whisper, pyannote, deepfilter): any
/// container libsndfile reads — WAV, AIFF, CAF, FLAC, Ogg Vorbis, Ogg Opus, MP3 and the rest —
/// plus Ogg FLAC (see `OggFLAC`), as the real services read them through libsndfile and ffmpeg.
public enum AudioDecoder {
    /// Most samples one upload may decode to: 100 M (200 MB of 16-bit PCM, over half an hour of
    /// 48 kHz stereo). A small compressed file can claim or hold far more (an hour of FLAC
    /// silence is a few kilobytes), and the mocks must not run out of memory on it.
    public static let maximumSamples = 100_000_000

    /// The file's audio and tags; throws with libsndfile's reason when it is not audio it reads.
    ///
    /// Plain PCM WAV goes through Core's `WAVFile`, the parser the gateway uses too (so a WAV
    /// reads the same on both sides, INFO tags included); everything else through libsndfile.
    public static func read(_ bytes: [UInt8]) throws(AudioFileError) -> DecodedAudio {
        if let wav = try? WAVFile(bytes: bytes) {
            let tags = AudioTags(
                title: wav.infoValue("INAM"), artist: wav.infoValue("IART"), comment: wav.infoValue("ICMT"), software: wav.infoValue("ISFT"))
            return DecodedAudio(pcm: wav, tags: tags)
        }
        let file: SoundFile
        do {
            file = try SoundFile(reading: bytes)
        } catch {
            guard let native = OggFLAC.nativeFLAC(bytes) else { throw error }
            file = try SoundFile(reading: native)
        }
        guard file.info.channels > 0, file.info.samplerate > 0 else { throw .soundFile("no channels or no sample rate") }
        let samples = try file.readAll(limit: maximumSamples)
        var tags = AudioTags()
        for field in AudioTags.fields { tags[keyPath: field.path] = file.string(field.type) }
        return DecodedAudio(pcm: WAVFile(samples: samples, channels: Int(file.info.channels), sampleRate: Int(file.info.samplerate)), tags: tags)
    }

    /// The file's audio as 16-bit PCM; nil when it is not audio libsndfile reads (or is damaged).
    public static func decode(_ bytes: [UInt8]) -> WAVFile? {
        try? read(bytes).pcm
    }
}
