/// An incoming request as the matcher sees it.
struct PlaybackRequest: Sendable {
    /// Upper-cased.
    let method: String
    let path: String
    /// Sorted `name=value` items.
    let query: [String]
    let body: IncomingBody

    init(method: String, path: String, query: String?, body: [UInt8]) {
        self.method = method.uppercased()
        self.path = path
        self.query = PlaybackEntry.queryItems(query.flatMap { $0.isEmpty ? nil : $0 })
        self.body = IncomingBody(body)
    }

    /// `POST /v1/embeddings`.
    var label: String { "\(method) \(path)" }
}
