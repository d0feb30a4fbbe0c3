/// Why the audio libraries could not read, write or resample a file.
///
/// Each case carries the library's own explanation (`sf_strerror`, `src_strerror`), so a log or a
/// test failure says what libsndfile or libsamplerate objected to.
public enum AudioFileError: Error, Sendable, Equatable {
    /// libsndfile refused the bytes or the requested format; its `sf_strerror` text.
    case soundFile(String)
    /// The file decodes to more samples than the mocks hold in memory (`AudioDecoder.maximumSamples`).
    case tooLong(maximumSamples: Int)
    /// libsamplerate refused the conversion (a ratio outside 1/256…256, say); its `src_strerror` text.
    case resampling(String)
}
