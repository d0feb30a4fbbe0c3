import Foundation

/// One captured HTTP exchange from `Fixtures/transcripts/<backend>/<case>.json`, with its request
/// rebuilt byte for byte (multipart test files regenerated from their descriptions).
///
/// The file format is described in each transcript folder's README: `request` has `method`, `path`,
/// `headers` ([name, value] pairs) and `body` (text, or an object with `parts`, `text` or `base64`);
/// `response` has `status` (or `status_line`), `headers`, and `body_text` or `body_base64`.
public struct Transcript: Sendable {
    /// The case name (the file name without `.json`).
    public let name: String
    /// The backend folder the transcript came from, e.g. `llama-server`.
    public let folder: String
    public let request: Request
    public let response: Response
    /// The capture's own note, if any (what state it caught).
    public let note: String?

    /// The request as it must be sent again.
    public struct Request: Sendable {
        public let method: String
        /// Path with query string.
        public let path: String
        /// Headers in capture order, without `Host` and `Content-Length` (the client sets those).
        public let headers: [(String, String)]
        public let body: [UInt8]?
        /// Why the body could not be rebuilt exactly (empty when it was).
        public let problems: [String]
    }

    /// The response as captured.
    public struct Response: Sendable {
        public let status: Int
        /// Headers in wire order and case.
        public let headers: [(String, String)]
        /// The de-chunked body.
        public let body: [UInt8]
        /// The capture's transfer chunks, when the body was chunked.
        public let chunks: [String]?
        /// True when the capture saw the stream end without its final chunk.
        public let cutShort: Bool

        /// The value of the first header with this name (case-insensitive).
        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    /// Errors loading a transcript file.
    public enum LoadError: Error, CustomStringConvertible {
        case notATranscript(String)
        public var description: String {
            switch self {
            case .notATranscript(let why): "not a transcript: \(why)"
            }
        }
    }

    /// Loads a transcript, replacing each `old` name with `new` in requests and recorded answers
    /// (like conformance.py's `--rename`, e.g. the capture's model ids → the mock's).
    public static func load(_ url: URL, renames: [(old: String, new: String)] = []) throws -> Transcript {
        var text = try String(contentsOf: url, encoding: .utf8)
        for (old, new) in renames {
            // Replace the JSON-escaped form, so names inside strings are renamed wherever they occur.
            text = text.replacingOccurrences(of: jsonEscaped(old), with: jsonEscaped(new))
        }
        guard let root = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let req = root["request"] as? [String: Any], let resp = root["response"] as? [String: Any]
        else { throw LoadError.notATranscript(url.lastPathComponent) }
        let name = (root["case"] as? String) ?? url.deletingPathExtension().lastPathComponent
        return Transcript(
            name: name,
            folder: url.deletingLastPathComponent().lastPathComponent,
            request: try parseRequest(req),
            response: try parseResponse(resp),
            note: root["note"] as? String
        )
    }

    /// The transcript files of one backend folder (e.g. `llama-server`), sorted by name,
    /// optionally only those whose case name starts with `prefix`.
    public static func files(in folder: String, prefix: String = "") -> [URL] {
        let dir = Fixture.url("transcripts/\(folder)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".json") && $0.hasPrefix(prefix) }.sorted().map { dir.appendingPathComponent($0) }
    }

    // MARK: Parsing

    private static func jsonEscaped(_ s: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])) ?? Data()
        let text = String(decoding: data, as: UTF8.self)
        return String(text.dropFirst(2).dropLast(2))  // strip `["` and `"]`
    }

    private static func pairs(_ value: Any?) -> [(String, String)] {
        ((value as? [[Any]]) ?? []).compactMap { pair in
            guard pair.count == 2, let n = pair[0] as? String, let v = pair[1] as? String else { return nil }
            return (n, v)
        }
    }

    private static func parseRequest(_ req: [String: Any]) throws -> Request {
        guard let method = req["method"] as? String, let path = req["path"] as? String else {
            throw LoadError.notATranscript("request without method or path")
        }
        var problems: [String] = []
        let body = TranscriptInputs.requestBody(req["body"], problems: &problems)
        let headers = pairs(req["headers"]).filter { !["host", "content-length"].contains($0.0.lowercased()) }
        if let declared = pairs(req["headers"]).first(where: { $0.0.lowercased() == "content-length" }),
            Int(declared.1) != (body?.count ?? 0)
        {
            problems.append("rebuilt body is \(body?.count ?? 0) bytes, the transcript sent \(declared.1)")
        }
        return Request(method: method, path: path, headers: headers, body: body, problems: problems)
    }

    private static func parseResponse(_ resp: [String: Any]) throws -> Response {
        var status = resp["status"] as? Int
        if status == nil, let line = resp["status_line"] as? String {
            status = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        }
        guard let status else { throw LoadError.notATranscript("response without status") }
        let body: [UInt8]
        if let b64 = resp["body_base64"] as? String, let data = Data(base64Encoded: b64) {
            body = Array(data)
        } else {
            body = Array(((resp["body_text"] as? String) ?? "").utf8)
        }
        let chunks = (resp["transfer_chunks"] as? [String]) ?? (resp["chunks_text"] as? [String])
        return Response(
            status: status,
            headers: pairs(resp["headers"]),
            body: body,
            chunks: chunks,
            cutShort: (resp["stream_incomplete"] as? Bool) ?? false
        )
    }
}
