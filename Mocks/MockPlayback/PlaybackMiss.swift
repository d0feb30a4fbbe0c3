import Hummingbird
import NIOCore
import SynapseCore

/// The answer to a request no recorded entry matches: a configurable status and a JSON body that
/// names the closest recorded request and why it is not this one.
///
/// Closest: the entry whose path is the fewest edits (Levenshtein, over bytes) from the request's
/// path; among those, one with the same method; among those, the first recorded. So a request
/// whose path was recorded with another method or body is named before any other path.
///
/// ```json
/// {"error": {"code": "playback_unmatched", "message": "no recorded answer for POST /v1/embeddings",
///   "backend": "llama-embed", "request": {"method": "POST", "path": "/v1/embeddings"},
///   "closest": {"method": "POST", "path": "/v1/embeddings", "recorded": "rec.har entry 3",
///               "reason": "body differs at $.input"}}}
/// ```
struct PlaybackMiss: Sendable {
    /// The closest entry and what differs.
    struct Closest: Sendable, Equatable {
        let index: Int
        /// `method differs: recorded GET`, `path differs: recorded /v1/models`, `body differs at $.model`.
        let reason: String
    }

    let request: PlaybackRequest
    let closest: Closest?

    /// Finds the closest of `matcher`'s entries to `request`.
    init(request: PlaybackRequest, matcher: PlaybackMatcher) {
        self.request = request
        let ranked = matcher.entries.indices.map { index in
            let entry = matcher.entries[index]
            return (index: index, distance: Self.editDistance(entry.path, request.path), otherMethod: entry.method != request.method)
        }
        guard let best = ranked.min(by: { ($0.distance, $0.otherMethod ? 1 : 0, $0.index) < ($1.distance, $1.otherMethod ? 1 : 0, $1.index) }) else {
            self.closest = nil
            return
        }
        let entry = matcher.entries[best.index]
        var reasons: [String] = []
        if best.otherMethod { reasons.append("method differs: recorded \(entry.method)") }
        if best.distance > 0 { reasons.append("path differs: recorded \(entry.path)") }
        if reasons.isEmpty, case .differs(let reason) = matcher.bodyMatch.compare(recorded: entry.body, incoming: request.body) {
            reasons.append(reason)
        }
        self.closest = Closest(index: best.index, reason: reasons.isEmpty ? "no difference found" : reasons.joined(separator: "; "))
    }

    /// The JSON answer, with `status`.
    func response(status: HTTPResponse.Status, backend: String, entries: [PlaybackEntry]) -> Response {
        var error: [(String, JSONValue)] = [
            ("code", .string("playback_unmatched")),
            ("message", .string("no recorded answer for \(request.label)")),
            ("backend", .string(backend)),
            ("request", .obj(("method", .string(request.method)), ("path", .string(request.path)))),
        ]
        if let closest {
            let entry = entries[closest.index]
            error.append(
                (
                    "closest",
                    .obj(
                        ("method", .string(entry.method)), ("path", .string(entry.path)), ("recorded", .string(entry.source)),
                        ("reason", .string(closest.reason)))
                ))
        } else {
            error.append(("closest", .null))
        }
        let body = JSONValue.obj(("error", .object(error))).bytes()
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// Levenshtein distance between two paths' bytes; paths past 512 bytes are compared on their
    /// first 512, which keeps a pathological request from costing more than 512² steps.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8.prefix(512))
        let b = Array(b.utf8.prefix(512))
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
