import CSndFile

/// The text tags the mocks read and write, as libsndfile names them. Each container stores them
/// its own way, and libsndfile maps both directions:
///
/// | tag | WAV (LIST/INFO) | FLAC, Ogg Vorbis, Ogg Opus | MP3 (ID3) |
/// | --- | --- | --- | --- |
/// | `title` | `INAM` | `TITLE` | `TIT2` |
/// | `artist` | `IART` | `ARTIST` | `TPE1` |
/// | `comment` | `ICMT` | `COMMENT` | `COMM` |
/// | `software` | `ISFT` | `ENCODER` | `TSSE` (on writing, LAME puts its own version there) |
public struct AudioTags: Sendable, Equatable {
    public var title: String?
    public var artist: String?
    public var comment: String?
    public var software: String?

    public init(title: String? = nil, artist: String? = nil, comment: String? = nil, software: String? = nil) {
        self.title = title
        self.artist = artist
        self.comment = comment
        self.software = software
    }

    /// Each tag with its libsndfile string type, for reading and writing in one loop.
    static var fields: [(type: Int, path: WritableKeyPath<AudioTags, String?>)] {
        [
            (SF_STR_TITLE, \.title), (SF_STR_ARTIST, \.artist), (SF_STR_COMMENT, \.comment), (SF_STR_SOFTWARE, \.software),
        ]
    }
}
