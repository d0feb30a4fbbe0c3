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
///
/// The exchange's deadline is enforced by one event-loop timer per connection, armed in the same
/// hop as the request's write and never cancelled: when it fires it closes the channel if the
/// exchange under way is past its deadline (reads then fail, reported as
/// `UpstreamFailure.deadlineExceeded`), re-arms for a later exchange's deadline, or lapses while
/// the connection is idle. Scheduling and cancelling a timer per request from outside the event
/// loop cost two cross-thread wake-ups each, more than the rest of the exchange's bookkeeping.
// @unchecked Sendable: `iterator` is used by one exchange at a time (the pool hands the connection
// to one request, which gives it back only after the response's end); `armedUntil` is touched on
// the channel's event loop only; everything else is immutable or atomic.
final class UpstreamConnection: @unchecked Sendable {
    let channel: any Channel
    private var iterator: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    private let timedOut = Atomic<Bool>(false)
    private let idleGuard: IdleGuard
    /// The exchange under way's deadline (`NIODeadline.uptimeNanoseconds`); 0 while idle.
    private let deadline = Atomic<UInt64>(0)
    /// A failed write of the request, reported instead of the read error it causes.
    private let writeFailure = Mutex<(any Error)?>(nil)
    /// When the pending timer fires; nil when none is pending. Event loop only.
    private var armedUntil: UInt64?
    /// The pending timer, cancelled when the connection closes (it would hold the connection
    /// until the deadline otherwise). Event loop only.
    private var timer: Scheduled<Void>?

    private init(_ asyncChannel: NIOAsyncChannel<HTTPClientResponsePart, Never>, idleGuard: IdleGuard) {
        self.idleGuard = idleGuard
        self.channel = asyncChannel.channel
        self.iterator = asyncChannel.inbound.makeAsyncIterator()
        channel.closeFuture.whenComplete { [weak self] _ in
            self?.timer?.cancel()
            self?.timer = nil
        }
    }

    /// Opens a connection; its failures are connection failures (`UpstreamFailure.classify`).
    static func connect(host: String, port: Int, connectTimeout: Duration, on eventLoop: any EventLoop) async throws -> UpstreamConnection {
        let idleGuard = IdleGuard()
        let asyncChannel = try await bootstrap(connectTimeout: connectTimeout, on: eventLoop)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(idleGuard)
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(CloseOnDecodingError())
                    return try NIOAsyncChannel<HTTPClientResponsePart, Never>(wrappingChannelSynchronously: channel)
                }
            }
        return UpstreamConnection(asyncChannel, idleGuard: idleGuard)
    }

    /// How every backend connection of the gateway's own clients is opened (this one's and the
    /// fast path's `RelayConnection`): within the connect timeout, without Nagle's delay.
    static func bootstrap(connectTimeout: Duration, on eventLoop: any EventLoop) -> ClientBootstrap {
        ClientBootstrap(group: eventLoop)
            .connectTimeout(.nanoseconds(connectTimeout.nanoseconds))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
    }

    var isActive: Bool { channel.isActive }

    /// Starts an exchange that must end by `deadline`; the first write arms the timer.
    func begin(deadline: NIODeadline) {
        idleGuard.busy.store(true, ordering: .releasing)
        timedOut.store(false, ordering: .relaxed)
        writeFailure.withLock { $0 = nil }
        self.deadline.store(max(1, deadline.uptimeNanoseconds), ordering: .releasing)
    }

    /// Ends an exchange that read its response to the end.
    func end() {
        deadline.store(0, ordering: .releasing)
        idleGuard.busy.store(false, ordering: .releasing)
    }

    /// Ends an exchange that did not finish cleanly: the connection's state is unknown, so it closes.
    func abandon() {
        end()
        channel.close(promise: nil)
    }

    /// `error` as the exchange should report it: the deadline's when the timer closed the channel,
    /// the write's own error when writing the request failed.
    func translate(_ error: any Error) -> any Error {
        if timedOut.load(ordering: .relaxed) { return UpstreamFailure.deadlineExceeded }
        return writeFailure.withLock { $0 } ?? error
    }

    // MARK: The deadline's timer (on the event loop)

    /// Makes sure a timer fires no later than the current exchange's deadline.
    private func armTimer() {
        let due = deadline.load(ordering: .acquiring)
        guard due != 0 else { return }
        if let armedUntil, armedUntil <= due { return }  // that timer comes first, and re-arms
        timer?.cancel()  // one pending timer at a time: a later one gives way to an earlier deadline
        armedUntil = due
        timer = channel.eventLoop.scheduleTask(deadline: NIODeadline.uptimeNanoseconds(due)) { [self] in timerFired() }
    }

    private func timerFired() {
        armedUntil = nil
        timer = nil
        let due = deadline.load(ordering: .acquiring)
        guard due != 0 else { return }  // idle: the next exchange arms a timer of its own
        if NIODeadline.now().uptimeNanoseconds >= due {
            timedOut.store(true, ordering: .relaxed)
            channel.close(promise: nil)
        } else {
            armTimer()
        }
    }

    // MARK: Writing

    /// Head, a whole body and the end in one hop to the event loop and one flush. Not awaited:
    /// the response is awaited next, and a failed write closes the connection, so that wait fails
    /// with the write's error (`translate`).
    func write(_ head: HTTPRequestHead, body: ByteBuffer?) {
        let channel = channel
        channel.eventLoop.execute { [self] in
            armTimer()
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil)).whenFailure { [self] error in
                writeFailure.withLock { $0 = error }
                channel.close(promise: nil)
            }
        }
    }

    /// One part of a streamed request, awaited until written (the upload's back-pressure).
    func write(_ part: HTTPClientRequestPart) async throws {
        let channel = channel
        try await channel.eventLoop.flatSubmit { [self] in
            if case .head = part { armTimer() }
            return channel.writeAndFlush(part)
        }.get()
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

/// Closes a connection whose response could not be decoded, so it is never pooled again: a
/// response nobody asked for (stray bytes that came just after an answer's end, before the
/// exchange let go of the connection) or a malformed one. The error still reaches the reader.
private final class CloseOnDecodingError: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias InboundOut = HTTPClientResponsePart

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }
}
