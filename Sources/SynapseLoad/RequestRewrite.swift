import NIOCore
import NIOHTTP1
import SynapseCore
import SynapseHAR

/// Turns a recording into the requests to send: which entries (route prefixes, one backend),
/// where (the target, or the backend's own paths), and with which credentials.
///
/// Redacted headers never reach the target: `RecordedExchange.replayHeaders` has already
/// dropped them, and `--api-key` / `--header` put real values in.
public struct RequestRewrite: Sendable {
    public var target: TargetURL
    /// Send each entry to the path the gateway called on its backend (`_synapse.upstreamPath`),
    /// to load one backend directly with a gateway recording. Entries the gateway answered
    /// itself (no upstream path) are skipped.
    public var useUpstreamPaths = false
    /// Only entries the gateway forwarded to this backend.
    public var onlyBackend: String?
    /// Only entries whose recorded path starts with one of these (none: every entry).
    public var routePrefixes: [String] = []
    /// Added to every request, replacing a recorded header of the same name.
    public var headers: [(name: String, value: String)] = []

    public init(target: TargetURL) {
        self.target = target
    }

    /// `--api-key K`: `Authorization: Bearer K` on every request.
    public mutating func setAPIKey(_ key: String) {
        headers.removeAll { $0.name.lowercased() == "authorization" }
        headers.append(("Authorization", "Bearer \(key)"))
    }

    /// The requests, in recording order, with offsets counted from the first one kept, and how
    /// many entries the filters left out.
    public func requests(from exchanges: [RecordedExchange]) -> (requests: [ReplayRequest], skipped: Int) {
        var requests: [ReplayRequest] = []
        var first: Duration?
        for exchange in exchanges {
            guard let path = selectedPath(exchange) else { continue }
            let start = first ?? exchange.offset
            first = start
            requests.append(request(for: exchange, path: path, offset: exchange.offset - start))
        }
        return (requests, exchanges.count - requests.count)
    }

    /// The path to send, or nil when a filter leaves the entry out.
    private func selectedPath(_ exchange: RecordedExchange) -> String? {
        if !routePrefixes.isEmpty, !routePrefixes.contains(where: { exchange.path.hasPrefix($0) }) { return nil }
        if let onlyBackend, exchange.backend != onlyBackend { return nil }
        guard useUpstreamPaths else { return exchange.target }
        return exchange.upstreamPath
    }

    private func request(for exchange: RecordedExchange, path: String, offset: Duration) -> ReplayRequest {
        var fields = HTTPHeaders()
        let overridden = Set(headers.map { $0.name.lowercased() })
        for header in exchange.replayHeaders where !overridden.contains(header.name.lowercased()) {
            fields.add(name: header.name, value: header.value)
        }
        for header in headers { fields.add(name: header.name, value: header.value) }
        fields.replaceOrAdd(name: "Host", value: target.hostHeader)
        let body: ReplayRequest.Body
        switch exchange.requestBody {
        case .none: body = .none
        case .bytes(let bytes): body = .buffer(ByteBuffer(bytes: bytes))
        case .file(let path, let size): body = .file(path: path, size: size)
        }
        let method = HTTPMethod(rawValue: exchange.method)
        if body.count > 0 || method == .POST || method == .PUT || method == .PATCH {
            fields.replaceOrAdd(name: "Content-Length", value: String(body.count))
        }
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: target.uri(for: path), headers: fields)
        return ReplayRequest(route: exchange.route, head: head, body: body, offset: offset)
    }

    /// Parses one `--header 'Name: value'`.
    public static func parseHeader(_ text: String) throws(LoadError) -> (name: String, value: String) {
        guard let colon = text.firstIndex(of: ":") else {
            throw LoadError(code: "bad_header", message: "--header \"\(text)\": expected 'Name: value'")
        }
        let name = text[..<colon].trimmed(of: " \t")
        let value = text[text.index(after: colon)...].trimmed(of: " \t")
        guard HTTPFieldName.isValid(name) else {
            throw LoadError(code: "bad_header", message: "--header \"\(text)\": \"\(name)\" is not a header name")
        }
        guard !value.contains("\r"), !value.contains("\n") else {
            throw LoadError(code: "bad_header", message: "--header \"\(text)\": the value holds a line break")
        }
        return (name, value)
    }
}

extension StringProtocol {
    fileprivate func trimmed(of set: String) -> String {
        let characters = Set(set)
        let start = firstIndex { !characters.contains($0) } ?? endIndex
        let end = lastIndex { !characters.contains($0) }.map { index(after: $0) } ?? start
        return String(self[start..<Swift.max(start, end)])
    }
}
