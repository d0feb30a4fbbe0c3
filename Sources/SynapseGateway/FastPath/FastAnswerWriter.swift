import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Where a fast exchange writes its client's answer: as HTTP parts to the server's encoder (from
/// `FastPathHandler`, after NIO's codec), or as HTTP/1.1 bytes straight to the socket (from
/// `WireFastPathHandler`, ahead of it), encoded byte for byte as NIO's `HTTPResponseEncoder`
/// encodes the same parts: status line, the fields in order with their names' case, framing
/// fixed as it fixes it (no length: chunked; no body by status: neither).
struct FastAnswerWriter {
    let context: ChannelHandlerContext
    /// Writes bytes, not parts.
    let encodes: Bool
    private var isChunked = false
    /// The answer said `Connection: close`: the connection closes once it is written, as
    /// `ConnectionGuard` closes it on the parts' path.
    private(set) var closesAfter = false

    init(context: ChannelHandlerContext, encodes: Bool) {
        self.context = context
        self.encodes = encodes
    }

    var channel: any Channel { context.channel }

    mutating func head(_ response: HTTPResponse) {
        guard encodes else {
            context.write(NIOAny(HTTPResponsePart.head(response)), promise: nil)
            return
        }
        let code = response.status.code
        let mayHaveBody = code >= 200 && code != 204 && code != 304
        var buffer = context.channel.allocator.buffer(capacity: 256)
        buffer.writeStaticString("HTTP/1.1 ")
        buffer.writeString(String(code))
        buffer.writeStaticString(" ")
        buffer.writeString(response.status.reasonPhrase)
        buffer.writeStaticString("\r\n")
        var hasLength = false
        for field in response.headerFields {
            switch field.name {
            case .transferEncoding: continue
            case .contentLength:
                guard mayHaveBody else { continue }
                hasLength = true
            case .connection: if field.value.lowercased() == "close" { closesAfter = true }
            default: break
            }
            buffer.writeString(field.name.rawName)
            buffer.writeStaticString(": ")
            buffer.writeString(field.value)
            buffer.writeStaticString("\r\n")
        }
        if mayHaveBody, !hasLength {
            isChunked = true
            buffer.writeStaticString("transfer-encoding: chunked\r\n")
        }
        buffer.writeStaticString("\r\n")
        context.write(NIOAny(buffer), promise: nil)
    }

    func body(_ chunk: ByteBuffer) {
        guard chunk.readableBytes > 0 else { return }
        guard encodes else {
            context.write(NIOAny(HTTPResponsePart.body(chunk)), promise: nil)
            return
        }
        guard isChunked else {
            context.write(NIOAny(chunk), promise: nil)
            return
        }
        var size = context.channel.allocator.buffer(capacity: 24)
        size.writeString(String(chunk.readableBytes, radix: 16))
        size.writeStaticString("\r\n")
        context.write(NIOAny(size), promise: nil)
        context.write(NIOAny(chunk), promise: nil)
        size.moveReaderIndex(forwardBy: size.readableBytes - 2)
        context.write(NIOAny(size), promise: nil)
    }

    /// Ends the answer and flushes it.
    func end() {
        guard encodes else {
            context.writeAndFlush(NIOAny(HTTPResponsePart.end(nil)), promise: nil)
            return
        }
        let last = isChunked ? ByteBuffer(staticString: "0\r\n\r\n") : nil
        if closesAfter {
            let channel = context.channel
            context.writeAndFlush(NIOAny(last ?? channel.allocator.buffer(capacity: 0))).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        if let last { context.write(NIOAny(last), promise: nil) }
        context.flush()
    }

    func flush() { context.flush() }

    func close() { context.close(promise: nil) }
}
