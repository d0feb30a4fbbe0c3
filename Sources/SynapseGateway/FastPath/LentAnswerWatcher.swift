import NIOCore
import NIOHTTPTypes

/// Tells `WireFastPathHandler` when the answer to a request it lent has ended. It sits just after
/// the server's HTTP codec, so every answer passes it: Hummingbird's, `ConnectionGuard`'s and
/// `FastPathHandler`'s.
final class LentAnswerWatcher: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let wire: WireFastPathHandler
    private let wireContext: ChannelHandlerContext

    init(wire: WireFastPathHandler, wireContext: ChannelHandlerContext) {
        self.wire = wire
        self.wireContext = wireContext
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        if case .end = unwrapOutboundIn(data) { wire.answerEnded(context: wireContext) }
    }
}
