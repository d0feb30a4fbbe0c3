import NIOCore
import NIOHTTP1

/// One request as the engine sends it: the head built once (target, Host, Content-Length,
/// authentication already applied), the body in memory or in a file to stream.
public struct ReplayRequest: Sendable {
    /// Where the bytes of the body come from.
    public enum Body: Sendable {
        case none
        /// Small bodies: written with the head in one flush.
        case buffer(ByteBuffer)
        /// Body files: streamed in chunks, so a 1 GiB upload keeps memory flat.
        case file(path: String, size: Int)

        public var count: Int {
            switch self {
            case .none: 0
            case .buffer(let buffer): buffer.readableBytes
            case .file(_, let size): size
            }
        }
    }

    /// The label the report groups by: method and recorded path (`POST /v1/embeddings`).
    public var route: String
    public var head: HTTPRequestHead
    public var body: Body
    /// When it was sent in the recording, counted from the first replayed request.
    public var offset: Duration

    public init(route: String, head: HTTPRequestHead, body: Body, offset: Duration = .zero) {
        self.route = route
        self.head = head
        self.body = body
        self.offset = offset
    }

    /// A request built by hand (tests, synthetic loads): `Host` and `Content-Length` are added.
    public init(
        method: HTTPMethod, path: String, target: TargetURL, headers: [(String, String)] = [], body: Body = .none, offset: Duration = .zero
    ) {
        var fields = HTTPHeaders(headers)
        fields.replaceOrAdd(name: "Host", value: target.hostHeader)
        if body.count > 0 || method == .POST || method == .PUT || method == .PATCH {
            fields.replaceOrAdd(name: "Content-Length", value: String(body.count))
        }
        let route = "\(method.rawValue) \(path.prefix { $0 != "?" })"
        self.init(
            route: route, head: HTTPRequestHead(version: .http1_1, method: method, uri: target.uri(for: path), headers: fields), body: body, offset: offset)
    }
}
