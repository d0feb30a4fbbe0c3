import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// One keep-alive HTTP/1.1 connection to a backend, carrying one exchange at a time.
///
/// ```
/// request ─▶ write head + body + end (one hop to the event loop, one flush) ─▶ socket
/// response ◀─ inbound stream (NIOAsyncChannel: reads only while the consumer asks) ◀─ decoder
/// ```
/// A pooled connection keeps reading while idle, so a backend that closes it or sends stray
/// bytes (`IdleGuard` closes it then) leaves it inactive, never reused.
/// Back-pressure both ways: an upload waits for each chunk's write before taking the next, and
/// the inbound stream stops reading the socket while the client has not taken what was read.
/// The exchange's deadline is one event-loop timer that closes the channel; reads then fail and
/// are reported as `UpstreamFailure.deadlineExceeded`.
// @unchecked Sendable: `iterator` is used by one exchange at a time (the pool hands the connection
// to one request, which gives it back only after the response's end); everything else is
// immutable or atomic.
final class UpstreamConnection: @unchecked Sendable {
    let channel: any Channel
    private let inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>
    private var iterator: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    private let timedOut = Atomic<Bool>(false)
    private let idleGuard: IdleGuard
    private var timer: Scheduled<Void>?

    private init(_ asyncChannel: NIOAsyncChannel<HTTPClientResponsePart, Never>, idleGuard: IdleGuard) {
        self.idleGuard = idleGuard
        self.channel = asyncChannel.channel
        self.inbound = asyncChannel.inbound
        self.iterator = asyncChannel.inbound.makeAsyncIterator()
    }

    /// Opens a connection; its failures are connection failures (`UpstreamFailure.classify`).
    static func connect(host: String, port: Int, connectTimeout: Duration, on eventLoop: any EventLoop) async throws -> UpstreamConnection {
        let idleGuard = IdleGuard()
        let asyncChannel = try await ClientBootstrap(group: eventLoop)
            .connectTimeout(.nanoseconds(connectTimeout.nanoseconds))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(idleGuard)
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, Never>(wrappingChannelSynchronously: channel)
                }
            }
        return UpstreamConnection(asyncChannel, idleGuard: idleGuard)
    }

    var isActive: Bool { channel.isActive }

    /// Starts an exchange: the deadline's timer closes the connection when it passes.
    func begin(deadline: NIODeadline) {
        idleGuard.busy.store(true, ordering: .releasing)
        timedOut.store(false, ordering: .relaxed)
        let channel = channel
        // Holds the connection until it fires or `end()` cancels it.
        timer = channel.eventLoop.scheduleTask(deadline: deadline) { [self] in
            timedOut.store(true, ordering: .relaxed)
            channel.close(promise: nil)
        }
    }

    /// Ends an exchange that read its response to the end.
    func end() {
        timer?.cancel()
        timer = nil
        idleGuard.busy.store(false, ordering: .releasing)
    }

    /// Ends an exchange that did not finish cleanly: the connection's state is unknown, so it closes.
    func abandon() {
        end()
        channel.close(promise: nil)
    }

    /// `error` as the exchange should report it: the deadline's when its timer closed the channel.
    func translate(_ error: any Error) -> any Error {
        timedOut.load(ordering: .relaxed) ? UpstreamFailure.deadlineExceeded : error
    }

    // MARK: Writing

    /// Head, a whole body and the end in one hop to the event loop and one flush.
    func write(_ head: HTTPRequestHead, body: ByteBuffer?) async throws {
        let channel = channel
        try await channel.eventLoop.flatSubmit {
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
            return channel.writeAndFlush(HTTPClientRequestPart.end(nil))
        }.get()
    }

    /// One part of a streamed request, awaited until written (the upload's back-pressure).
    func write(_ part: HTTPClientRequestPart) async throws {
        try await channel.writeAndFlush(part).get()
    }

    // MARK: Reading

    /// The response head (informational answers skipped).
    func readHead() async throws -> HTTPResponseHead {
        while true {
            guard let part = try await iterator.next() else { throw ChannelError.eof }
            switch part {
            case .head(let head):
                if head.status.code >= 100, head.status.code < 200, head.status.code != 101 { continue }
                return head
            case .body, .end:
                throw UpstreamFailure.malformedResponse("response body before its head")
            }
        }
    }

    /// The next chunk of the response body; nil at its end.
    func readBody() async throws -> ByteBuffer? {
        while true {
            guard let part = try await iterator.next() else { throw ChannelError.eof }
            switch part {
            case .body(let chunk):
                if chunk.readableBytes > 0 { return chunk }
            case .end:
                return nil
            case .head:
                throw UpstreamFailure.malformedResponse("second response head")
            }
        }
    }
}

/// Closes a connection that receives bytes while no exchange is under way: a backend's stray
/// answer (a 408 before closing, say) must never be read as the next request's response.
private final class IdleGuard: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    let busy = Atomic<Bool>(false)

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard busy.load(ordering: .acquiring) else {
            context.close(promise: nil)
            return
        }
        context.fireChannelRead(data)
    }
}
