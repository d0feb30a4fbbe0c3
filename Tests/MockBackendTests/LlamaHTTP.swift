import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Raw HTTP for the llama router tests: status, headers and body text, nothing parsed away.
enum LlamaHTTP {
    struct Reply: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let text: String

        /// The body parsed as a JSON object (empty when it is not one).
        var object: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        }

        /// `error.message` of an error envelope.
        var errorMessage: String? {
            (object["error"] as? [String: Any])?["message"] as? String
        }

        /// The `/models` entry with this id.
        func model(_ id: String) -> [String: Any]? {
            (object["data"] as? [[String: Any]])?.first { $0["id"] as? String == id }
        }

        /// `status` of the `/models` entry with this id.
        func status(of id: String) -> [String: Any]? {
            model(id)?["status"] as? [String: Any]
        }
    }

    static func send(
        _ url: String, method: HTTPMethod = .GET, headers: [(String, String)] = [], json: String? = nil
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: body))
    }

    static func post(_ url: String, _ json: String, headers: [(String, String)] = []) async throws -> Reply {
        try await send(url, method: .POST, headers: headers, json: json)
    }

    /// Reads a streamed body until `text` has appeared in it; throws when the deadline passes first.
    static func streamUntil(_ url: String, contains text: String, timeout: TimeAmount = .seconds(10), after trigger: () async throws -> Void) async throws
        -> String
    {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: timeout)
        try await trigger()
        var seen = ""
        for try await chunk in response.body {
            seen += String(buffer: chunk)
            if seen.contains(text) { break }
        }
        return seen
    }
}
