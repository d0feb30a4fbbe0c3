/// What the gateway records and where (`synapse serve --record DIR`, `POST /admin/recording`).
///
/// Defaults suit a development machine: everything sampled, 1000 entries or 64 MiB per HAR
/// file, 16 MiB of buffered bytes and 1024 exchanges in flight before exchanges are dropped.
public struct RecordingSettings: Sendable, Equatable {
    /// Folder of the HAR files (`DIR/*.har`) and the body files (`DIR/bodies/<sha256>`).
    public var directory: String
    /// Share of requests recorded, 0…1. Default 1.
    public var sampleRate: Double = 1
    /// Which requests: path prefixes (`/v1/`) or routes as registered (`/voices/{voice_id}`).
    /// Default empty: every route.
    public var routes: [String] = []
    /// Headers redacted besides `Authorization`, `Proxy-Authorization`, `X-API-Key`, `Cookie`
    /// and `Set-Cookie`; any case. Default none.
    public var redactHeaders: [String] = []
    /// Entries per HAR file before a new one is started. Default 1000.
    public var maxEntriesPerFile = 1000
    /// HAR file size in bytes after which a new one is started. Default 64 MiB.
    public var maxFileSize = 64 << 20
    /// Body bytes waiting for the writer; an exchange that would exceed it is dropped. Default 16 MiB.
    public var bufferSize = 16 << 20
    /// Exchanges being recorded at once; one more is dropped. Default 1024.
    public var maxPendingExchanges = 1024
    /// Largest text body written inline in the HAR file; larger ones go to a body file. Default 1 MiB.
    public var maxInlineSize = 1 << 20

    public init(directory: String) {
        self.directory = directory
    }

    /// What is wrong with these settings, one sentence each; empty when they are usable.
    public var problems: [String] {
        var problems: [String] = []
        if directory.isEmpty { problems.append("the folder to record into must be named") }
        if !(0...1).contains(sampleRate) { problems.append("the sample rate must be between 0 and 1, not \(sampleRate)") }
        for route in routes where !route.hasPrefix("/") { problems.append("route '\(route)' must start with / (a path prefix or a route)") }
        for header in redactHeaders where header.isEmpty || header.contains(where: { $0 == ":" || $0 == " " }) {
            problems.append("'\(header)' is not a header name")
        }
        if maxEntriesPerFile < 1 { problems.append("maxEntriesPerFile must be at least 1") }
        if maxFileSize < 1024 { problems.append("maxFileSize must be at least 1 KiB") }
        if bufferSize < 1 { problems.append("bufferSize must be at least 1 byte") }
        if maxPendingExchanges < 1 { problems.append("maxPendingExchanges must be at least 1") }
        if maxInlineSize < 0 { problems.append("maxInlineSize must not be negative") }
        return problems
    }

    /// Paths never recorded, whatever the filter: operator and probe traffic rather than client
    /// traffic (replaying an admin call would change the target under load), and the live feeds
    /// (`/events`, `/events/terminal`), streams that end only when their client leaves, which a
    /// replay would hold open until its timeout.
    public static let neverRecorded = ["/admin/", "/metrics", "/healthz", "/readyz", "/events"]

    /// Whether the route filter takes a request for `path`, served by `route` (as registered).
    public func admits(path: String, route: String?) -> Bool {
        if Self.neverRecorded.contains(where: { path.hasPrefix($0) }) { return false }
        guard !routes.isEmpty else { return true }
        return routes.contains { filter in
            filter.contains("{") ? filter == route : path.hasPrefix(filter) || filter == route
        }
    }
}
