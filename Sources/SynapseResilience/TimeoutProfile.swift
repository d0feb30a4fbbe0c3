/// Time limits for requests to one kind of backend: a total deadline, a connect timeout and, for
/// streamed responses, an idle timeout between chunks.
///
/// | Profile      | Total  | Typical backend                      |
/// | ------------ | ------ | ------------------------------------ |
/// | `llm`        | 300 s  | llama-router chat completions        |
/// | `embeddings` |  60 s  | llama-embed                          |
/// | `tts`        | 120 s  | chatterbox-tts                       |
/// | `stt`        | 600 s  | whisper-stt                          |
/// | `speaker`    | 600 s  | pyannote-speaker                     |
/// | `audio`      | 600 s  | deepfilter-audio                     |
/// | `default`    |  60 s  | anything without a profile           |
///
/// Every profile connects within 5 s and tolerates 60 s of silence in a streamed body. Why 60 s:
/// whisper-stt's `/stream` sends nothing but `: ping` comments every 15 s until the whole file is
/// transcribed, and later llama-server builds ping after 30 s of silence, so 60 s survives a missed
/// ping on either; baseline llama-server sends no keep-alive at all, and a router waking a sleeping
/// model or a CPU processing a long prompt can go quiet for tens of seconds between header and first
/// token. A stalled stream is still cut long before the 300–600 s total deadlines would notice it.
public struct TimeoutProfile: Sendable, Hashable {
    /// The profile's name as written in configuration (`timeoutProfile: llm`).
    public var name: String
    /// The whole request's deadline, from arrival to the last response byte.
    public var total: Duration
    /// Time allowed to establish the upstream connection. Default 5 s.
    public var connect: Duration
    /// Longest gap allowed between two chunks of a streamed response body. Default 60 s (see above).
    public var idle: Duration

    public init(name: String, total: Duration, connect: Duration = .seconds(5), idle: Duration = .seconds(60)) {
        self.name = name
        self.total = total
        self.connect = connect
        self.idle = idle
    }

    public static let llm = TimeoutProfile(name: "llm", total: .seconds(300))
    public static let embeddings = TimeoutProfile(name: "embeddings", total: .seconds(60))
    public static let tts = TimeoutProfile(name: "tts", total: .seconds(120))
    public static let stt = TimeoutProfile(name: "stt", total: .seconds(600))
    public static let speaker = TimeoutProfile(name: "speaker", total: .seconds(600))
    public static let audio = TimeoutProfile(name: "audio", total: .seconds(600))
    public static let `default` = TimeoutProfile(name: "default", total: .seconds(60))

    /// Every built-in profile, in the table's order.
    public static let builtIn: [TimeoutProfile] = [.llm, .embeddings, .tts, .stt, .speaker, .audio, .default]

    /// The built-in profile with this name (case-insensitive, surrounding spaces ignored), or `nil`.
    public static func parse(_ name: String) -> TimeoutProfile? {
        let key = name.trimmingSpaces().lowercased()
        return builtIn.first { $0.name == key }
    }

    /// The deadline for a request arriving now: `total` from now, narrowed by the client's own
    /// timeout when it asked for less.
    public func deadline<C: Clock>(on clock: C, clientTimeout: Duration? = nil) -> Deadline<C> where C.Duration == Duration {
        Deadline(after: total, clock: clock).limited(to: clientTimeout)
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs (no Foundation needed).
    fileprivate func trimmingSpaces() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(self[first...last])
    }
}
