import SynapseClock
import SynapseCore

/// The time limits of one request: a total deadline, a connect timeout and, for streamed responses,
/// an idle timeout between chunks. Built from Core's `TimeoutProfile` (name → total deadline) and a
/// backend's `timeouts:` settings.
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
public struct TimeoutPolicy: Sendable, Hashable {
    /// The whole request's deadline, from arrival to the last response byte.
    public var total: Duration
    /// Time allowed to establish the upstream connection. Default 5 s.
    public var connect: Duration
    /// Longest gap allowed between two chunks of a streamed response body. Default 60 s (see above).
    public var idle: Duration

    public init(total: Duration, connect: Duration = .seconds(5), idle: Duration = .seconds(60)) {
        self.total = total
        self.connect = connect
        self.idle = idle
    }

    /// The limits for `profile`: its total deadline from `deadlines` (the configuration's
    /// `timeoutProfiles`, falling back to the built-in table) unless `timeouts.total` overrides it,
    /// and connect and idle timeouts from `timeouts`.
    public init(
        profile: TimeoutProfile,
        deadlines: [TimeoutProfile: Duration] = TimeoutProfile.defaultDeadlines,
        timeouts: BackendConfig.Timeouts = .init()
    ) {
        let total = timeouts.total ?? deadlines[profile] ?? TimeoutProfile.defaultDeadlines[profile] ?? .seconds(60)
        self.init(total: total, connect: timeouts.connect, idle: timeouts.idle)
    }

    /// The deadline for a request arriving now: `total` from now, narrowed by the client's own
    /// timeout when it asked for less. Make it once per request and pass it down.
    public func deadline<C: Clock>(on clock: C, clientTimeout: Duration? = nil) -> Deadline<C> where C.Duration == Duration {
        Deadline(after: total, clock: clock).limited(to: clientTimeout)
    }
}
