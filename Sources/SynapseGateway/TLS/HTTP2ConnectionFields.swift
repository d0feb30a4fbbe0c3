import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Drops the fields HTTP/2 forbids (RFC 9113 §8.2.2: `Connection`, `Keep-Alive`,
/// `Proxy-Connection`, `Transfer-Encoding`, `Upgrade`) from answers on an HTTP/2 stream.
///
/// The gateway answers `Connection: close` where an HTTP/1.1 connection must end after the
/// answer (draining, a route that watches its connection for the client leaving, 408/431), and
/// an HTTP/2 codec resets a stream whose head carries it. HTTPS serves both versions through one
/// stream configuration (`GatewayService.secureServer`), so the handler sits on both and acts
/// only on HTTP/2 streams: HTTP/1.1 needs the field to close its connection.
final class HTTP2ConnectionFields: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    static let forbidden: [HTTPField.Name] = [
        .connection, HTTPField.Name("Keep-Alive")!, HTTPField.Name("Proxy-Connection")!, .transferEncoding, .upgrade,
    ]
    private var isHTTP2Stream = false

    func handlerAdded(context: ChannelHandlerContext) {
        // A stream's parent is its connection, whose parent is the listening channel; an
        // HTTP/1.1 connection's parent is the listening channel itself. (Asking a socket for
        // HTTP/2's stream-id option is a fatal error in NIO, so the option cannot tell them apart.)
        isHTTP2Stream = context.channel.parent?.parent != nil
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard isHTTP2Stream, case .head(var head) = unwrapOutboundIn(data) else {
            return context.write(data, promise: promise)
        }
        for name in Self.forbidden { head.headerFields[name] = nil }
        context.write(wrapOutboundOut(.head(head)), promise: promise)
    }
}
