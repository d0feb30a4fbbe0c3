import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore

/// The fast path ahead of NIO's HTTP codec: the first handler of a plain HTTP/1.1 client
/// connection, it reads requests as bytes (`WireRequestHead`), relays the fast routes' requests
/// (`FastExchange`) and writes their answers as bytes (`FastAnswerWriter`), so that they never
/// meet the decoder, the encoder, the conversions to and from `HTTPTypes`, `ConnectionGuard` or
/// Hummingbird's connection handler; those cost a pass-through request about a third of its CPU.
///
/// ```
/// socket ─▶ WireFastPathHandler ─┬─▶ FastExchange ─▶ backend                  (a fast route's request)
///                                ├─▶ decoder ─▶ … ─▶ Hummingbird, one request (lent, answered, back here)
///                                └─▶ decoder ─▶ … for good                     (handed over)
/// ```
/// Every other request goes to the decoder and the server as it came, so it gets the answer it
/// always got:
/// - a complete head it can read whose request the fast path does not take (another route, a
///   refused admission, a body still arriving) is **lent**: its bytes go on, the rest of its body
///   after them as it arrives, and the next request is read here once its answer has ended
///   (`LentAnswerWatcher` says when), so answers keep their order;
/// - a head it cannot read (an unfinished one, something outside `WireRequestHead`'s subset) is
///   **handed over**: the connection's bytes go to the decoder from then on (pacing a slow head,
///   431, 400 stay `ConnectionGuard`'s and the decoder's), the later requests of the connection to
///   `FastPathHandler`, and this handler leaves the pipeline.
///
/// While it is in the pipeline, Hummingbird's connection handler sees only lent requests, so this
/// handler owns the connection's idle timeout (the server's is built without one and put back at
/// a hand-over) and graceful close (`ChannelShouldQuiesceEvent`: closed when idle, after the
/// current answer otherwise).
final class WireFastPathHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    struct Limits {
        /// The longest head read here; longer ones go to the decoder, whose own limit is twice this.
        let maxHeadLength: Int
        let maxFields: Int
        /// Hummingbird's idle timeout, which this handler keeps while it is in the pipeline.
        let idleTimeout: Duration?

        init(maxHeaderBytes: Int, maxHeaderCount: Int, idleTimeout: Duration?) {
            self.maxHeadLength = maxHeaderBytes / 2
            self.maxFields = maxHeaderCount
            // At least a millisecond: the timer is set again from now while an exchange runs.
            self.idleTimeout = idleTimeout.map { max($0, .milliseconds(1)) }
        }
    }

    private enum State {
        case idle
        case relaying(FastExchange)
        /// A request given to the decoder: `bodyLeft` of its bytes are still to pass on as they
        /// arrive; `answered` once its answer has ended.
        case lent(bodyLeft: Int, answered: Bool)
        case handedOver
    }

    private let fastPaths: Swappable<FastPath?>
    private let limits: Limits
    private let logger: Logger
    private var state = State.idle
    /// Bytes read and not yet relayed or passed on.
    private var pending: ByteBuffer?
    /// A read asked for while a request waited in `pending`, issued once it is taken.
    private var readPending = false
    /// Bytes were passed to the decoder since the last end of a read.
    private var passedOn = false
    /// A graceful close was asked for.
    private var quiescing = false
    private var lastActivity = NIODeadline.now()
    private var idleTimer: Scheduled<Void>?

    init(fastPaths: Swappable<FastPath?>, limits: Limits, logger: Logger) {
        self.fastPaths = fastPaths
        self.limits = limits
        self.logger = logger
    }

    // MARK: Reading

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        lastActivity = .now()
        switch state {
        case .handedOver:
            context.fireChannelRead(data)
            return
        case .lent(let bodyLeft, let answered) where bodyLeft > 0:
            let slice = bytes.readSlice(length: min(bodyLeft, bytes.readableBytes))!
            state = .lent(bodyLeft: bodyLeft - slice.readableBytes, answered: answered)
            passOn(slice, context: context)
            guard bytes.readableBytes > 0 else { return }
        default: break
        }
        if pending == nil || pending!.readableBytes == 0 {
            pending = bytes
        } else {
            pending!.writeBuffer(&bytes)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        switch state {
        case .handedOver: context.fireChannelReadComplete()
        case .lent(0, answered: true): requestEnded(context: context)
        case .idle: serve(context: context)
        default: readCompleted(context: context)
        }
    }

    /// Takes the requests waiting in `pending`, in order, until one is under way.
    private func serve(context: ChannelHandlerContext) {
        while case .idle = state, let buffer = pending, buffer.readableBytes > 0 {
            if quiescing {
                pending = nil
                context.close(promise: nil)
                return
            }
            switch WireRequestHead.read(buffer, maxLength: limits.maxHeadLength, maxFields: limits.maxFields) {
            case .incomplete, .unusual:
                return handOver(context: context)
            case .head(let head):
                if !relay(head, context: context) { lend(head, context: context) }
            }
        }
        if case .idle = state { pending = nil }
        readCompleted(context: context)
    }

    /// Starts the request's exchange when the fast path takes it.
    private func relay(_ head: WireRequestHead, context: ChannelHandlerContext) -> Bool {
        let length = head.length + head.bodyLength
        guard let target = head.postTarget, let fastPath = fastPaths.current, fastPath.serves(target: target),
            let buffer = pending, buffer.readableBytes >= length
        else { return false }
        let request = head.request(in: buffer)
        guard let route = fastPath.route(for: request) else { return false }
        let body = buffer.getSlice(at: buffer.readerIndex + head.length, length: head.bodyLength)!
        let now = NIODeadline.now()
        guard
            let (exchange, upstream) = fastPath.exchange(
                route, head: request, body: body, client: FastAnswerWriter(context: context, encodes: true), started: now,
                startedAt: .now, onFinished: { [weak self] in self?.exchangeFinished(context: context) })
        else { return false }
        pending!.moveReaderIndex(forwardBy: length)
        state = .relaying(exchange)
        exchange.start(upstream)
        return true
    }

    /// Gives one request to the decoder: what has arrived of it now, the rest of its body later.
    private func lend(_ head: WireRequestHead, context: ChannelHandlerContext) {
        let length = head.length + head.bodyLength
        let arrived = pending!.readSlice(length: min(length, pending!.readableBytes))!
        state = .lent(bodyLeft: length - arrived.readableBytes, answered: false)
        passOn(arrived, context: context)
    }

    private func passOn(_ bytes: ByteBuffer, context: ChannelHandlerContext) {
        passedOn = true
        context.fireChannelRead(wrapInboundOut(bytes))
    }

    /// The end of a read, for the handlers after this one, when they were given bytes in it.
    private func readCompleted(context: ChannelHandlerContext) {
        guard passedOn else { return }
        passedOn = false
        context.fireChannelReadComplete()
    }

    // MARK: Ends of requests

    private func exchangeFinished(context: ChannelHandlerContext) {
        guard case .relaying = state else { return }
        requestEnded(context: context)
    }

    /// The lent request's answer has ended (`LentAnswerWatcher`).
    func answerEnded(context: ChannelHandlerContext) {
        guard case .lent(let bodyLeft, _) = state else { return }
        state = .lent(bodyLeft: bodyLeft, answered: true)
        // Not inside the write that ended the answer: the next request may be lent at once.
        context.eventLoop.assumeIsolatedUnsafeUnchecked().execute { [self] in
            if case .lent(0, answered: true) = state { requestEnded(context: context) }
        }
    }

    private func requestEnded(context: ChannelHandlerContext) {
        state = .idle
        lastActivity = .now()
        if quiescing {
            context.close(promise: nil)
            return
        }
        serve(context: context)
        if readPending, case .idle = state {
            readPending = false
            context.read()
        }
    }

    // MARK: Handing over

    /// The connection goes to the decoder for good: Hummingbird's connection handler gets back
    /// its idle timeout, and the bytes not yet read here go on.
    private func handOver(context: ChannelHandlerContext) {
        state = .handedOver
        cancelIdleTimer()
        let operations = context.pipeline.syncOperations
        if let idleTimeout = limits.idleTimeout, let connection = try? operations.handler(type: HTTPConnectionStateHandler.self) {
            try? operations.addHandler(HTTPConnectionStateHandler(idleTimeout: idleTimeout, logger: logger), position: .after(connection))
            operations.removeHandler(connection, promise: nil)
        }
        if let watcher = try? operations.handler(type: LentAnswerWatcher.self) { operations.removeHandler(watcher, promise: nil) }
        if let bytes = pending, bytes.readableBytes > 0 { passOn(bytes, context: context) }
        pending = nil
        readCompleted(context: context)
        if readPending {
            readPending = false
            context.read()
        }
        operations.removeHandler(context: context, promise: nil)
    }

    // MARK: Events

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if case .relaying(let exchange) = state { exchange.clientWritabilityChanged() }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch (state, event) {
        case (.handedOver, _), (.lent, _):
            if event is ChannelShouldQuiesceEvent { quiescing = true }
            context.fireUserInboundEventTriggered(event)
        case (_, is ChannelShouldQuiesceEvent):
            // Hummingbird's handler would close at once: it has seen no request under way.
            quiescing = true
            if case .idle = state { context.close(promise: nil) }
        case (.relaying(let exchange), let event as ChannelEvent) where event == .inputClosed:
            exchange.clientClosed()
            context.fireUserInboundEventTriggered(event)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelIdleTimer()
        if case .relaying(let exchange) = state { exchange.clientClosed() }
        context.fireChannelInactive()
    }

    // MARK: Outbound

    /// Reading goes on during an exchange, so a client that leaves is seen at once; it pauses
    /// while a pipelined request waits.
    func read(context: ChannelHandlerContext) {
        switch state {
        case .relaying, .lent(0, _):
            if let pending, pending.readableBytes > 0 {
                readPending = true
                return
            }
        default: break
        }
        context.read()
    }

    // MARK: Idle timeout

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armIdleTimer(context: context, at: .now() + idleTimeAmount) }
    }

    func channelActive(context: ChannelHandlerContext) {
        armIdleTimer(context: context, at: .now() + idleTimeAmount)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelIdleTimer()
    }

    private var idleTimeAmount: TimeAmount {
        .nanoseconds(Int64(limits.idleTimeout.map { $0.nanoseconds } ?? 0))
    }

    /// One timer a connection, set for when it would have been idle long enough; when it fires
    /// early (there was activity since), it is set again.
    private func armIdleTimer(context: ChannelHandlerContext, at due: NIODeadline) {
        guard limits.idleTimeout != nil, idleTimer == nil else { return }
        idleTimer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: due) { [self] in
            idleTimer = nil
            switch state {
            case .handedOver: return
            case .idle:
                let due = lastActivity + idleTimeAmount
                if NIODeadline.now() >= due { return context.close(promise: nil) }
                armIdleTimer(context: context, at: due)
            case .relaying, .lent:
                armIdleTimer(context: context, at: .now() + idleTimeAmount)
            }
        }
    }

    private func cancelIdleTimer() {
        idleTimer?.cancel()
        idleTimer = nil
    }
}
