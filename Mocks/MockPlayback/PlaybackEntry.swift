import SynapseHAR

/// One recorded exchange as a playback server serves it: the request it answers, at the
/// backend's path, and the recorded answer.
public struct PlaybackEntry: Sendable {
    /// The recording: status, headers, body, timings, events.
    public let exchange: RecordedExchange
    /// The request method, upper-cased.
    public let method: String
    /// The path on the backend (percent-encoded as recorded), without the query.
    public let path: String
    /// The query's `name=value` items, sorted, so that their order does not matter.
    public let query: [String]
    let body: RecordedRequestBody

    /// `target` is the path and query on the backend (`_synapse.upstreamPath`, or the caller's mapping).
    public init(exchange: RecordedExchange, target: String) {
        self.exchange = exchange
        self.method = exchange.method.uppercased()
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.path = String(parts[0])
        self.query = Self.queryItems(parts.count > 1 ? String(parts[1]) : nil)
        self.body = RecordedRequestBody(exchange.requestBody)
    }

    /// `POST /v1/embeddings`: how messages name the entry.
    public var label: String { "\(method) \(path)" }

    /// `recording.har entry 3`: where the entry is in the recording.
    public var source: String { exchange.playbackSource }

    /// Sorted `name=value` items of a raw query (empty items dropped).
    static func queryItems(_ query: String?) -> [String] {
        guard let query else { return [] }
        return query.split(separator: "&").map(String.init).sorted()
    }
}

extension RecordedExchange {
    /// `recording.har entry 3`: the HAR file's name and the 0-based entry index.
    var playbackSource: String {
        "\(file.split(separator: "/").last.map(String.init) ?? file) entry \(entryIndex)"
    }
}
