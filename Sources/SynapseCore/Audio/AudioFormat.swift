import Foundation

/// An audio file format by its usual file extension: what `/audio/convert` and the deepfilter
/// mock write, and what the Chatterbox mock's `output_format` names.
///
/// | case | container and codec | media type |
/// | --- | --- | --- |
/// | `wav` | RIFF/WAVE, 16-bit PCM | `audio/wav` |
/// | `mp3` | MPEG-1/2 Layer III | `audio/mpeg` |
/// | `flac` | native FLAC | `audio/flac` |
/// | `ogg` | Ogg Vorbis | `audio/ogg` |
/// | `opus` | Ogg Opus | `audio/opus` |
public enum AudioFormat: String, Sendable, CaseIterable {
    case wav, mp3, flac, ogg, opus

    /// The formats `/audio/convert` (gateway) and deepfilter's `/convert` accept as `output_format`.
    /// Opus is not one: the service's ffmpeg call is only made for these four.
    public static let conversionOutputs: [AudioFormat] = [.wav, .mp3, .flac, .ogg]

    /// A conversion output named by a form field: trimmed and case-insensitive (`" MP3 "` → `.mp3`);
    /// nil for anything outside `conversionOutputs`.
    public init?(conversionField field: String) {
        guard let format = AudioFormat(rawValue: field.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()),
            Self.conversionOutputs.contains(format)
        else { return nil }
        self = format
    }

    /// The IANA media type of a file in this format.
    public var mediaType: String {
        switch self {
        case .wav: "audio/wav"
        case .mp3: "audio/mpeg"
        case .flac: "audio/flac"
        case .ogg: "audio/ogg"
        case .opus: "audio/opus"
        }
    }
}
