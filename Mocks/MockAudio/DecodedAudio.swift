import SynapseCore

/// An uploaded file as the analysing mocks need it: its samples and its text tags.
public struct DecodedAudio: Sendable, Equatable {
    /// The audio as 16-bit PCM, interleaved, at the file's own rate and channel count.
    public var pcm: WAVFile
    /// The file's text tags (WAV INFO, Vorbis comments, ID3).
    public var tags: AudioTags

    public init(pcm: WAVFile, tags: AudioTags) {
        self.pcm = pcm
        self.tags = tags
    }
}
