import Foundation

/// The output formats `/audio/convert` accepts, with their media types.
public enum AudioFormat: String, Sendable, CaseIterable {
    case wav, mp3, flac, ogg

    /// Trimmed and case-insensitive (`" MP3 "` → `.mp3`); nil for anything else.
    public init?(field: String) {
        self.init(rawValue: field.trimmingCharacters(in: .whitespacesAndNewlines).lowercased())
    }

    public var mediaType: String {
        switch self {
        case .wav: "audio/wav"
        case .mp3: "audio/mpeg"
        case .flac: "audio/flac"
        case .ogg: "audio/ogg"
        }
    }

    public var presentation: ResponsePresentation {
        .attachment(mediaType: mediaType, filename: "converted.\(rawValue)")
    }
}
