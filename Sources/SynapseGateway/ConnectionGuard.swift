import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import SynapseCore

/// Per-connection limits enforced in the channel pipeline, right after HTTP decoding: slow
/// clients (`ClientPace`), oversized heads, and closing after a `Connection: close` answer.
///
/// ```
/// socket ─▶ HTTP decoder (head size, header count) ─▶ ConnectionGuard ─▶ Hummingbird ─▶ GatewayResponder
///                 └─ headerOverflow ─▶ 431 ┘      └─ too slow ─▶ 408, close
/// ```
///
/// Cost per request on the hot path: a few reads of the uptime clock and no allocation. One timer
/// per connection at most, scheduled lazily (like Hummingbird's idle handler): when it fires it
/// looks at the state and, if nothing is wrong, sets itself for the next moment that matters.
///
/// A refusal while a request is being handled is also fired into the request's body stream as a
/// `GatewayError`, so the handler reading it stops (and an upstream upload fails) instead of
/// taking a truncated body for a complete one; anything the handler writes afterwards is dropped.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var pace: ClientPace
    private let limits: GatewaySettings
    private var timer: Scheduled<Void>?
    private var timerDeadline: UInt64 = 0
    /// Whether a request part was decoded during the current read.
    private var sawParts = false
    /// The current request's head (for its request id), while one is being handled.
    private var requestHead: HTTPRequest?
    /// Whether the gateway has started answering the current request.
    private var responseStarted = false
    /// The answer being written says `Connection: close`: close once it is written.
    private var closeAfterResponse = false
    /// The guard refused the connection: nothing more is read or written by anyone else.
    private var refused = false

    init(limits: GatewaySettings) {
        self.limits = limits
        self.pace = ClientPace(
            .init(
                headerReadTimeout: limits.headerReadTimeout, bodyIdleTimeout: limits.bodyIdleTimeout,
                minBodyRate: limits.minBodyRate, bodyRateGracePeriod: limits.bodyRateGracePeriod))
    }

    private static var now: UInt64 { NIODeadline.now().uptimeNanoseconds }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        sawParts = true
        switch unwrapInboundIn(data) {
        case .head(let head):
            pace.headReceived(at: Self.now)
            requestHead = head
            responseStarted = false
            armTimer(context)
        case .body(let buffer):
            let verdict = pace.bodyReceived(buffer.readableBytes, at: Self.now)
            if verdict != .fine {
                refuse(context, verdict)
                return
            }
        case .end:
            pace.endReceived()
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        pace.readCompleted(at: Self.now, sawParts: sawParts)
        sawParts = false
        if case .head = pace.phase { armTimer(context) }
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The decoder's limits on the head (`maxHeaderBytes`, `maxHeaderCount`), before any request
        // of this connection is being answered: the gateway's own answer, not Hummingbird's bare 400.
        if let parserError = error as? HTTPParserError, parserError == .headerOverflow, requestHead == nil, !refused {
            refused = true
            answer(context, GatewayError.headersTooLarge(maxBytes: limits.maxHeaderBytes, maxCount: limits.maxHeaderCount))
            return
        }
        // Broken framing (a chunk size that is not hex, a missing CRLF…): the decoder closes the
        // channel right after this, so the 400 is written here, before a handler could answer 500.
        // The error still goes on, so whoever reads the body stops; later writes are dropped.
        if GatewayError.isClientFramingError(error), !responseStarted, !refused {
            refused = true
            cancelTimer()
            answer(context, GatewayError.malformedFraming())
        }
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
    }

    // MARK: Outbound

    func read(context: ChannelHandlerContext) {
        guard !refused else { return }
        pace.readRequested(at: Self.now)
        context.read()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !refused else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head(let head):
            // Informational heads (100 Continue) are not the answer.
            if head.status.code >= 200 {
                responseStarted = true
                closeAfterResponse = head.headerFields[.connection]?.lowercased() == "close"
            }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            if case .body = pace.phase {} else { requestHead = nil }
            guard closeAfterResponse else {
                context.write(data, promise: promise)
                return
            }
            // Said `Connection: close`: the rest of the request is not read.
            let closing = context.eventLoop.makePromise(of: Void.self)
            closing.futureResult.cascade(to: promise)
            context.writeAndFlush(data, promise: closing)
            closeWhenDone(context, closing.futureResult)
        }
    }

    // MARK: Refusing

    private func refuse(_ context: ChannelHandlerContext, _ verdict: ClientPace.Verdict) {
        let now = Self.now
        let error: GatewayError
        switch verdict {
        case .headTooSlow:
            error = .clientTooSlow("Request head not received within \(ConfigScalars.format(limits.headerReadTimeout))")
        case .bodyIdle:
            error = .clientTooSlow("No request body data received for \(ConfigScalars.format(limits.bodyIdleTimeout))")
        case .bodyTooSlow:
            let rate = Int(pace.bodyRate(at: now).rounded())
            error = .clientTooSlow(
                "Request body arrives at \(rate) B/s, below the minimum of \(ConfigScalars.format(size: limits.minBodyRate))/s")
        case .fine:
            return
        }
        let inRequest = pace.phase == .body
        let answered = responseStarted
        refused = true
        cancelTimer()
        // Whoever reads the body gets the error; what it answers is dropped (refused).
        if inRequest { context.fireErrorCaught(error) }
        if answered {
            context.close(promise: nil)
        } else {
            answer(context, error)
        }
    }

    /// Writes `error` as the whole answer, bypassing `refused`, then closes.
    private func answer(_ context: ChannelHandlerContext, _ error: GatewayError) {
        let requestID = GatewayResponder.requestID(from: requestHead?.headerFields[GatewayResponder.requestIDField])
        var (fields, body) = error.rendered(requestID: requestID)
        fields[.connection] = "close"
        fields[GatewayResponder.requestIDField] = requestID
        context.write(wrapOutboundOut(.head(HTTPResponse(status: error.status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        closeWhenDone(context, written.futureResult)
    }

    private func closeWhenDone(_ context: ChannelHandlerContext, _ future: EventLoopFuture<Void>) {
        let channel = context.channel
        future.whenComplete { _ in channel.close(promise: nil) }
    }

    // MARK: Timer

    private func armTimer(_ context: ChannelHandlerContext) {
        let now = Self.now
        guard let next = pace.nextCheck(after: now) else { return }
        // A timer already set for this moment or earlier will look again when it fires.
        if timer != nil, timerDeadline <= next { return }
        cancelTimer()
        timerDeadline = next
        let delay = TimeAmount.nanoseconds(Int64(clamping: next &- min(next, now)))
        timer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: delay) { [self] in
            timer = nil
            guard !refused else { return }
            let verdict = pace.check(at: Self.now)
            if verdict == .fine { armTimer(context) } else { refuse(context, verdict) }
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }
}

extension GatewayError {
    /// 408 `request_timeout`: the client sends its request too slowly.
    static func clientTooSlow(_ message: String) -> GatewayError {
        var error = GatewayError(status: .requestTimeout, code: "request_timeout", type: "invalid_request_error", message: message)
        error.headers[.connection] = "close"
        return error
    }

    /// 431 `headers_too_large`: the request head is over `gateway.maxHeaderBytes` or `maxHeaderCount`.
    static func headersTooLarge(maxBytes: Int, maxCount: Int) -> GatewayError {
        .init(
            status: .init(code: 431, reasonPhrase: "Request Header Fields Too Large"), code: "headers_too_large", type: "invalid_request_error",
            message: "Request headers exceed the limit of \(ConfigScalars.format(size: maxBytes)) or \(maxCount) fields")
    }
}
