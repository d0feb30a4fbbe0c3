import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// The fast path's place in a client connection's pipeline: between Hummingbird's connection
/// bookkeeping (`HTTPConnectionStateHandler`, which so sees every request and answer, keep-alive,
/// idle timeout and graceful close included) and the request task Hummingbird runs.
///
/// ```
/// decoder ─▶ ConnectionGuard ─▶ HTTPConnectionStateHandler ─▶ FastPathHandler ─┬─▶ Hummingbird (general path)
///                                                                              └─▶ FastExchange ─▶ backend
/// ```
/// A request `FastPath` accepts is answered here; any other passes on untouched. Answers leave
/// in request order: while Hummingbird has a request unanswered, later ones go to it too, and
/// parts arriving during an exchange (a pipelining client) wait for its end, with reading paused.
/// A client that leaves during an exchange is seen at once: unlike the general path, which for
/// `/v1/embeddings` does not watch the connection (watching costs it the keep-alive), the fast
/// path abandons the backend request then, freeing its slot.
final class FastPathHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private struct Candidate {
        let fastPath: FastPath
        var head: HTTPRequest
        var route: FastPath.Route
        var body: ByteBuffer?
        var started: NIODeadline
        var startedAt: ContinuousClock.Instant
    }

    private enum State {
        case idle
        /// A fast route's request, its body being read (at most the route's limit, 64 KiB; the
        /// reads that bring it are paced by `ConnectionGuard`, as on the general path).
        case collecting(Candidate)
        /// The current request's parts go to Hummingbird.
        case handedOver
        case relaying(FastExchange)
    }

    /// Read at each request's head: a reload's new fast path serves the next request, and a
    /// request in progress keeps the one it started with (`Candidate.fastPath`).
    private let fastPaths: Swappable<FastPath?>
    private var state = State.idle
    /// Requests handed to Hummingbird whose answer has not ended yet.
    private var unanswered = 0
    /// Parts that arrived while an exchange was under way, handled after it.
    private var queued = CircularBuffer<HTTPRequestPart>()
    /// A read asked for while an exchange was under way, issued after it.
    private var readPending = false

    init(fastPaths: Swappable<FastPath?>) {
        self.fastPaths = fastPaths
    }

    // MARK: Requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if case .relaying = state {
            queued.append(part)
            return
        }
        handle(part, context: context)
    }

    private func handle(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        switch state {
        case .idle:
            if case .head(let head) = part, unanswered == 0, let fastPath = fastPaths.current, let route = fastPath.route(for: head) {
                state = .collecting(Candidate(fastPath: fastPath, head: head, route: route, started: .now(), startedAt: .now))
                return
            }
            if case .head = part {
                unanswered += 1
                state = .handedOver
            }
            forward(part, context: context)
        case .handedOver:
            if case .head = part { unanswered += 1 }  // a head before the last request's end: counted all the same
            forward(part, context: context)
        case .collecting(var candidate):
            switch part {
            case .body(var chunk):
                state = .idle  // drops the state's reference, so the body is appended in place
                if candidate.body == nil { candidate.body = chunk } else { candidate.body!.writeBuffer(&chunk) }
                state = .collecting(candidate)
            case .end:
                start(candidate, context: context)
            case .head:
                // The decoder ends a request before the next head; should it not, the general path decides.
                handOver(candidate, context: context)
                handle(part, context: context)
            }
        case .relaying:
            queued.append(part)
        }
    }

    private func forward(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        if case .end = part { state = .idle }
        context.fireChannelRead(wrapInboundOut(part))
    }

    /// The candidate's parts so far go to Hummingbird, and the rest of its request after them.
    private func handOver(_ candidate: Candidate, context: ChannelHandlerContext) {
        unanswered += 1
        state = .handedOver
        context.fireChannelRead(wrapInboundOut(.head(candidate.head)))
        if let body = candidate.body { context.fireChannelRead(wrapInboundOut(.body(body))) }
    }

    private func start(_ candidate: Candidate, context: ChannelHandlerContext) {
        guard let body = candidate.body,
            let (exchange, request) = candidate.fastPath.exchange(
                candidate.route, head: candidate.head, body: body, client: FastAnswerWriter(context: context, encodes: false),
                started: candidate.started, startedAt: candidate.startedAt, onFinished: { [weak self] in self?.exchangeFinished(context: context) })
        else {
            handOver(candidate, context: context)
            forward(.end(nil), context: context)
            return
        }
        state = .relaying(exchange)
        exchange.start(request)
    }

    private func exchangeFinished(context: ChannelHandlerContext) {
        state = .idle
        guard !queued.isEmpty else { return resumeReading(context: context) }
        while !queued.isEmpty {
            if case .relaying = state { break }
            handle(queued.removeFirst(), context: context)
        }
        // Hummingbird takes what it was handed at the end of a read, as after a socket read.
        context.fireChannelReadComplete()
        resumeReading(context: context)
    }

    private func resumeReading(context: ChannelHandlerContext) {
        if case .relaying = state { return }
        if readPending {
            readPending = false
            context.read()
        }
    }

    /// A body still to come is waited for: clients that write the head and the body apart (the
    /// OpenAI SDK: httpx sends them in two writes, which half its requests read apart) keep the
    /// fast path. `ConnectionGuard`, before this handler, paces those reads as it paces the
    /// general path's.
    func channelReadComplete(context: ChannelHandlerContext) {
        context.fireChannelReadComplete()
    }

    /// A request cut short while its body was being read (the guard refusing a slow client, an
    /// error, the client leaving) goes to Hummingbird as it came, with what ended it, so the
    /// general path answers or cleans up as it would have.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        handOverUnfinished(context: context)
        context.fireErrorCaught(error)
    }

    private func handOverUnfinished(context: ChannelHandlerContext) {
        guard case .collecting(let candidate) = state else { return }
        handOver(candidate, context: context)
        // Hummingbird takes what it was handed at the end of a read.
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if case .relaying(let exchange) = state { exchange.clientWritabilityChanged() }
        context.fireChannelWritabilityChanged()
    }

    /// Hummingbird's connections allow half-closure, so a client that leaves shows first as the
    /// end of its input: during an exchange that abandons the backend request, as nginx does
    /// (`proxy_ignore_client_abort off`) and as the general path's long routes do.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            switch state {
            case .relaying(let exchange): exchange.clientClosed()
            case .collecting: handOverUnfinished(context: context)
            default: break
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        switch state {
        case .relaying(let exchange): exchange.clientClosed()
        case .collecting: handOverUnfinished(context: context)
        default: break
        }
        context.fireChannelInactive()
    }

    // MARK: Answers

    /// Reading goes on during an exchange, so a client that leaves is seen at once (its backend
    /// request is then abandoned, freeing the slot); it pauses only once a pipelined request waits.
    func read(context: ChannelHandlerContext) {
        if case .relaying = state, !queued.isEmpty {
            readPending = true
            return
        }
        context.read()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), unanswered > 0 { unanswered -= 1 }
        context.write(data, promise: promise)
    }
}
