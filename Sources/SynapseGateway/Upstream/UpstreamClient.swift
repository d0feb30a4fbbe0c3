import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
import SynapseCore

/// The gateway's own HTTP/1.1 client for pass-through requests: a keep-alive `ConnectionPool` per
/// plain-`http` backend and one exchange per connection at a time.
///
/// ```
/// execute ─▶ pool.acquire (idle, live) or connect ─▶ head + body in one flush ─▶ response head
///        ◀─ HTTPClientResponse (body: UpstreamResponseBody, read from the connection as asked)
/// ```
/// Its errors are the ones `UpstreamFailure.classify` knows (NIO's connect, channel and I/O
/// errors; the deadline as `UpstreamFailure.deadlineExceeded`); the client's own body stream
/// failing (too large, broken framing, too slow) surfaces unchanged. Backends with `https` or
/// credentials in their URL have no pool here and stay on AsyncHTTPClient.
final class UpstreamClient: Sendable {
    /// What to send: the method, the request target (path and query) and the headers as they go
    /// upstream (`Host` and framing are added here), and the body.
    struct Request: Sendable {
        var method: HTTPMethod
        var target: String
        var headers: HTTPHeaders
        var body: UpstreamBody
        /// The client connection's event loop, where the backend connection is best taken.
        var eventLoop: (any EventLoop)? = nil
    }

    /// Per backend, one pool per event loop of the group, in the group's order.
    private let pools: [BackendID: [ConnectionPool]]
    /// Each loop's position in the group.
    private let loopIndex: [ObjectIdentifier: Int]
    private let group: any EventLoopGroup
    private let sweeper: RepeatedTask?

    init(backends: [BackendConfig], eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        let loops = Array(eventLoopGroup.makeIterator())
        var pools: [BackendID: [ConnectionPool]] = [:]
        for backend in backends where backend.url.scheme == "http" && backend.url.userInfo == nil {
            pools[backend.id] = loops.map {
                ConnectionPool(host: backend.url.host, port: backend.url.port, configuration: .init(backend: backend), eventLoop: $0)
            }
        }
        self.pools = pools
        self.loopIndex = Dictionary(uniqueKeysWithValues: loops.enumerated().map { (ObjectIdentifier($0.element), $0.offset) })
        self.group = eventLoopGroup
        guard !pools.isEmpty else {
            self.sweeper = nil
            return
        }
        // A NIO timer, not a task: it runs on an event loop until `shutdown()` cancels it.
        let interval = TimeAmount.seconds(15)
        self.sweeper = eventLoopGroup.next().scheduleRepeatedTask(initialDelay: interval, delay: interval) { [pools] _ in
            for pool in pools.values.joined() { pool.sweep() }
        }
    }

    /// The pool for `backend` on `eventLoop` (the client connection's, so both sockets are served
    /// by one thread), or on the group's next loop; nil when the backend's requests go through
    /// AsyncHTTPClient.
    func pool(for backend: BackendID, on eventLoop: (any EventLoop)? = nil) -> ConnectionPool? {
        guard let pools = pools[backend] else { return nil }
        return pools[loopIndex[ObjectIdentifier(eventLoop ?? group.next())] ?? 0]
    }

    /// Sends `request` over a pooled connection and returns once the response head arrived; its
    /// body streams from the connection. `deadline` bounds the whole exchange, body included.
    func execute(_ request: Request, on pool: ConnectionPool, deadline: NIODeadline) async throws -> HTTPClientResponse {
        let head = Self.head(request, host: pool.hostHeader)
        let connection = try await pool.acquire()
        connection.begin(deadline: deadline)
        do {
            let (responseHead, written) = try await withTaskCancellationHandler {
                try await exchange(head, body: request.body, on: connection)
            } onCancel: {
                connection.channel.close(promise: nil)
            }
            let lease = UpstreamLease(connection: connection, pool: pool, reusable: written && responseHead.isKeepAlive)
            return HTTPClientResponse(
                version: responseHead.version, status: responseHead.status, headers: responseHead.headers,
                body: .stream(UpstreamResponseBody(lease: lease)))
        } catch {
            connection.abandon()
            if Task.isCancelled { throw CancellationError() }
            throw connection.translate(error)
        }
    }

    /// The request head as it goes to the backend: its `Host`, and the framing of its body.
    static func head(_ request: Request, host: String) -> HTTPRequestHead {
        var head = HTTPRequestHead(version: .http1_1, method: request.method, uri: request.target, headers: request.headers)
        head.headers.replaceOrAdd(name: "host", value: host)
        switch request.body {
        case .none:
            if request.method == .POST || request.method == .PUT || request.method == .PATCH { head.headers.replaceOrAdd(name: "content-length", value: "0") }
        case .bytes(let buffer):
            head.headers.replaceOrAdd(name: "content-length", value: String(buffer.readableBytes))
        case .stream(_, let length):
            if let length {
                head.headers.replaceOrAdd(name: "content-length", value: String(length))
            } else {
                head.headers.replaceOrAdd(name: "transfer-encoding", value: "chunked")
            }
        }
        return head
    }

    /// Writes the request and reads the response head; `written` is false when the backend
    /// answered before the request's body was all sent (the connection cannot be reused then).
    private func exchange(_ head: HTTPRequestHead, body: UpstreamBody, on connection: UpstreamConnection) async throws -> (HTTPResponseHead, written: Bool) {
        switch body {
        case .none:
            connection.write(head, body: nil)
        case .bytes(let buffer):
            connection.write(head, body: buffer)
        case .stream(let source, _):
            try await connection.write(.head(head))
            var iterator = source.makeAsyncIterator()
            // The client's stream failing is its own error, passed on as is; a failed write may
            // mean the backend answered early (and closed): its answer, if any, is still read.
            while let chunk = try await iterator.next() {
                do {
                    try await connection.write(.body(.byteBuffer(chunk)))
                } catch {
                    guard let early = try? await connection.readHead() else { throw error }
                    return (early, false)
                }
            }
            try await connection.write(.end(nil))
        }
        return (try await connection.readHead(), true)
    }

    /// Closes every idle connection and stops the idle sweep; call once, after the server stopped.
    func shutdown() {
        sweeper?.cancel()
        for pool in pools.values.joined() { pool.shutdown() }
    }
}
