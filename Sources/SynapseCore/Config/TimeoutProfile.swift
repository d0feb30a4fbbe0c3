/// A named total deadline for requests to a kind of backend.
///
/// | profile      | default |
/// |--------------|---------|
/// | `llm`        | 300 s   |
/// | `embeddings` | 60 s    |
/// | `tts`        | 120 s   |
/// | `stt`        | 600 s   |
/// | `speaker`    | 600 s   |
/// | `audio`      | 600 s   |
/// | `default`    | 60 s    |
public enum TimeoutProfile: String, Sendable, CaseIterable, Hashable, Comparable {
    case llm, embeddings, tts, stt, speaker, audio
    case `default`

    public static let defaultDeadlines: [TimeoutProfile: Duration] = [
        .llm: .seconds(300), .embeddings: .seconds(60), .tts: .seconds(120),
        .stt: .seconds(600), .speaker: .seconds(600), .audio: .seconds(600), .default: .seconds(60),
    ]

    public static func < (lhs: TimeoutProfile, rhs: TimeoutProfile) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
