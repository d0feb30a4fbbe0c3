/// Why a byte buffer is not a WAV file Synapse can use.
///
/// Each case has a stable `code` for JSON error bodies, logs and metrics; nothing should
/// match on `description`.
public enum WAVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The first four bytes are not `RIFF` (`RF64` and `RIFX` are not supported either).
    case notRIFF
    /// A RIFF file whose form type is not `WAVE` (e.g. AVI).
    case notWAVE
    /// The `data` chunk came before any `fmt ` chunk, or the file has no `fmt ` chunk.
    case missingFormatChunk
    /// The file ended without a `data` chunk.
    case missingDataChunk
    /// The file ends in the middle of its header (a chunk header or the `fmt ` body).
    case truncated
    /// The `fmt ` chunk is present but inconsistent (zero channels, zero rate, bad block align...).
    case invalidFormat(reason: String)
    /// A well-formed file whose sample encoding this code cannot read (e.g. ADPCM, 12-bit PCM).
    case unsupportedFormat(formatTag: UInt16, bitsPerSample: Int)
    /// The chunks before `data` exceed the allowed header size (a streaming guard).
    case headerTooLarge(limit: Int)

    /// Stable machine-readable identifier, e.g. `wav_not_riff`.
    public var code: String {
        switch self {
        case .notRIFF: "wav_not_riff"
        case .notWAVE: "wav_not_wave"
        case .missingFormatChunk: "wav_missing_fmt_chunk"
        case .missingDataChunk: "wav_missing_data_chunk"
        case .truncated: "wav_truncated"
        case .invalidFormat: "wav_invalid_format"
        case .unsupportedFormat: "wav_unsupported_format"
        case .headerTooLarge: "wav_header_too_large"
        }
    }

    public var description: String {
        switch self {
        case .notRIFF: "not a RIFF file"
        case .notWAVE: "RIFF file is not WAVE"
        case .missingFormatChunk: "missing fmt chunk"
        case .missingDataChunk: "missing data chunk"
        case .truncated: "truncated WAV header"
        case .invalidFormat(let reason): "invalid fmt chunk: \(reason)"
        case .unsupportedFormat(let tag, let bits): "unsupported format (tag \(tag), \(bits) bits per sample)"
        case .headerTooLarge(let limit): "WAV header larger than \(limit) bytes"
        }
    }
}
