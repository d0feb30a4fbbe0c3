/// The original gateway's live log feed, `GET /events/terminal` (the `terminalFeed:` section; each
/// key also has the original's `SYNAPSE_TERMINAL_FEED_*` variable). The feed applies the original's
/// minimums (buffer and queue at least 10, keep-alive at least 5 s, lines at least 256 characters).
public struct TerminalFeedSettings: Sendable, Equatable {
    /// `live` enables the feed; anything else (the default `mock`) answers 404, as the original.
    public var mode = "mock"
    /// Events kept for the backlog. Default 500.
    public var bufferSize = 500
    /// Events queued per subscriber before the oldest is dropped. Default 200.
    public var subscriberQueueSize = 200
    /// Backlog lines sent to a new subscriber when it names none. Default 80.
    public var backlogLines = 80
    /// A `: keepalive` comment after this long without an event. Default 15 s.
    public var keepalive: Duration = .seconds(15)
    /// Longer messages are cut. Default 1200 characters.
    public var maxLineChars = 1200
    /// The level filter when a subscriber names none. Default `INFO`.
    public var defaultLevel = "INFO"
    /// Extra redaction regexes, separated by `||`. Default none.
    public var redactExtraPatterns = ""
    /// `local` (this replica's events) or `redis` (not supported yet: treated as local). Default `local`.
    public var busMode = "local"
    /// The Redis bus URL (only read with `busMode: redis`). Secret.
    public var redisURL = ""
    /// The Redis pub/sub channel. Default `synapse:terminal_feed`.
    public var redisChannel = "synapse:terminal_feed"
    /// Redis connect and socket timeout. Default 5 s.
    public var redisConnectTimeout: Duration = .seconds(5)

    public init() {}

    /// Whether the feed answers (the original compares the trimmed, lowercased mode with `live`).
    public var isLive: Bool { mode.trimmingWhitespace().lowercased() == "live" }
}
