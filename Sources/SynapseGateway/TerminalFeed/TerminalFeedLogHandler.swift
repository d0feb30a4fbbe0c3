import Logging

/// A swift-log handler that publishes the gateway's log records at `info` and above to the
/// terminal feed, as the original's handler on the root logger does at Python's `INFO`.
///
/// | swift-log            | feed level               |
/// | -------------------- | ------------------------ |
/// | `trace`, `debug`     | `DEBUG` (never published) |
/// | `info`, `notice`     | `INFO`                   |
/// | `warning`            | `WARNING`                |
/// | `error`              | `ERROR`                  |
/// | `critical`           | `CRITICAL`               |
///
/// The source is the logger's label; the message is the record's text followed by its metadata
/// as `key=value` pairs sorted by key, so `request http.method=GET http.path=/v1/models
/// http.status=200 …` carries the access log's facts.
///
/// Bootstrap it next to the stdout handler with `MultiplexLogHandler` when the feed is live.
public struct TerminalFeedLogHandler: LogHandler {
    public let label: String
    public let feed: TerminalFeed
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info

    public init(label: String, feed: TerminalFeed, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.feed = feed
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let level = Self.level(event.level)
        // The original's handler sits at INFO, whatever the logger's own level.
        guard level >= .info else { return }
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        feed.publish(source: label, level: level, message: Self.message(event.message.description, metadata: merged))
    }

    /// The feed level of a swift-log level.
    static func level(_ level: Logger.Level) -> TerminalFeedLevel {
        switch level {
        case .trace, .debug: .debug
        case .info, .notice: .info
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }

    /// `text key=value key=value`, keys sorted; just `text` without metadata.
    static func message(_ text: String, metadata: Logger.Metadata) -> String {
        guard !metadata.isEmpty else { return text }
        let pairs = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return ([text] + pairs).joined(separator: " ")
    }
}
