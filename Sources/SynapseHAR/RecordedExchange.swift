import Foundation
import SynapseCore

/// One recorded request and its answer, with its bodies located and checked.
public struct RecordedExchange: Sendable {
    /// The entry as recorded.
    public var entry: HAREntry
    /// Where it came from, for messages: the HAR file and the 0-based entry index.
    public var file: String
    public var entryIndex: Int
    /// When the request started, and how long after the recording's first request.
    public var startedAt: Date
    public var offset: Duration = .zero
    public var requestBody: RecordedBody
    public var responseBody: RecordedBody

    public var method: String { entry.request.method }
    /// Path and query of the recorded URL (`/v1/embeddings?x=1`).
    public let target: String
    /// The path alone, for matching and route labels.
    public var path: String { String(target.prefix { $0 != "?" }) }
    /// The route label the load report groups by: `POST /v1/embeddings`.
    public var route: String { "\(method) \(path)" }
    /// What the gateway forwarded to, when Synapse recorded it.
    public var backend: String? { entry.synapse?.backend }
    public var upstreamPath: String? { entry.synapse?.upstreamPath }
    /// `text/event-stream` answers, with their events' offsets when recorded by Synapse.
    public var responseEvents: [HARStreamEvent]? { entry.response.content.events }

    init(entry: HAREntry, file: String, entryIndex: Int, folder: String) throws(HARReadError) {
        func fail(_ problem: String) -> HARReadError {
            HARReadError(file: file, entry: entryIndex, request: "\(entry.request.method) \(entry.request.url)", problem: problem)
        }
        self.entry = entry
        self.file = file
        self.entryIndex = entryIndex
        guard let date = Self.date(entry.startedDateTime) else {
            throw fail("startedDateTime \"\(entry.startedDateTime)\" is not an ISO 8601 date")
        }
        startedAt = date
        guard let target = Self.target(of: entry.request.url) else {
            throw fail("request.url \"\(entry.request.url)\" is not an absolute http(s) URL or a path")
        }
        self.target = target
        guard !entry.request.method.isEmpty, entry.request.method.allSatisfy({ $0.isLetter }) else {
            throw fail("request.method \"\(entry.request.method)\" is not an HTTP method")
        }
        // Pseudo-headers (`:path`, from browsers' HTTP/2 exports) are not sent again; any other
        // name is, and must be one.
        for (index, header) in entry.request.headers.enumerated() where !header.name.hasPrefix(":") && !HTTPFieldName.isValid(header.name) {
            throw fail("request.headers[\(index)]: \"\(header.name)\" is not a header name")
        }
        do {
            let post = entry.request.postData
            requestBody = try RecordedBody.located(
                file: post?.file, text: post?.text, encoding: post?.encoding, size: post?.size, folder: folder, at: "request.postData")
        } catch {
            throw fail(error.reason)
        }
        let content = entry.response.content
        do {
            responseBody = try RecordedBody.located(
                file: content.file, text: content.text, encoding: content.encoding, size: content.size, folder: folder, at: "response.content")
        } catch {
            throw fail(error.reason)
        }
        if let events = content.events {
            var previous = 0
            for (index, event) in events.enumerated() {
                guard event.end >= previous, event.end <= responseBody.count, event.offsetMs >= 0 else {
                    throw fail("response.content._events[\(index)]: end \(event.end) is outside the body or before the previous event")
                }
                previous = event.end
            }
        }
    }

    /// The request headers to send again: without HTTP/2 pseudo-headers (browser exports list
    /// `:path` and friends), hop-by-hop and framing headers (the sender frames the body itself),
    /// `Host` (it names the new target), `Accept-Encoding` (replay reads streams as sent, not
    /// compressed) and values redacted at recording (`--header`/`--api-key` put real ones back).
    public var replayHeaders: [(name: String, value: String)] {
        entry.request.headers.compactMap { header in
            let name = header.name.lowercased()
            if name.hasPrefix(":") || Self.notReplayed.contains(name) || header.value == Self.redactedValue { return nil }
            return (header.name, header.value)
        }
    }

    /// What the recorder writes in place of a secret header's value.
    public static let redactedValue = "[REDACTED]"

    static let notReplayed: Set<String> = [
        "host", "content-length", "transfer-encoding", "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade",
        "accept-encoding", "expect",
    ]

    /// `http://host/p?q` → `/p?q`; a bare path is taken as it is.
    static func target(of url: String) -> String? {
        if url.hasPrefix("/") { return url }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return nil
        }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        return components.percentEncodedQuery.map { "\(path)?\($0)" } ?? path
    }

    /// ISO 8601 as browsers and Synapse write it, with or without fractional seconds.
    static func date(_ text: String) -> Date? {
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        return ISO8601DateFormatter().date(from: text)
    }
}
