import NIOCore
import NIOHTTP1
import SynapseLoadReport

/// One keep-alive HTTP/1.1 connection to the target, carrying one exchange at a time: writes a
/// request (head and a small body in one flush, or a body file streamed), reads the answer as
/// the decoder hands it over, measures it, and reports the sample to its loop's driver.
///
/// ```
/// driver ─send─▶ LoadConnection ─▶ HTTPRequestEncoder ─▶ socket
///   ▲                 ▲
///   └─exchangeEnded── └── HTTPResponseDecoder ◀── socket
/// ```
// @unchecked Sendable: created, used and dropped on its channel's event loop only (which is
// also its driver's loop); futures it chains complete on that loop.
final class LoadConnection: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    let driver: LoopDriver
    private(set) var context: ChannelHandlerContext?
    var exchange: Exchange?
    /// Counts exchanges, so a file chunk read for an earlier one is not written into the next.
    private(set) var generation = 0
    /// Set once the driver no longer counts this connection.
    var retired = false

    init(driver: LoopDriver) {
        self.driver = driver
    }

    var isBusy: Bool { exchange != nil }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    // MARK: Sending

    /// Writes `request`; the answer comes back through `channelRead`.
    func send(_ request: ReplayRequest, pending: Exchange.Pending, timeout: Duration, now: NIODeadline) {
        guard let context else {
            driver.exchangeEnded(
                self, sample: Exchange(pending: pending, route: request.route, path: "", deadline: now).sample(at: now, failure: .reset), reusable: false)
            return
        }
        generation += 1
        let path = request.head.uri.prefix { $0 != "?" }
        exchange = Exchange(pending: pending, route: request.route, path: path, deadline: now.adding(timeout))
        context.write(wrapOutboundOut(.head(request.head)), promise: nil)
        switch request.body {
        case .none:
            finishBody(context: context)
        case .buffer(let buffer):
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            exchange?.bytesSent = buffer.readableBytes
            finishBody(context: context)
        case .file(let path, let size):
            context.flush()
            streamFile(path: path, size: size, generation: generation)
        }
    }

    /// Writes the end of the request and flushes everything written since the head.
    func finishBody(context: ChannelHandlerContext) {
        exchange?.bodySent = true
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// The driver gives up on the exchange (its timeout, the end of the run): a sample with
    /// `kind`, and the connection closed (its state is unknown).
    func abort(_ kind: RequestSample.FailureKind, now: NIODeadline) {
        end(failure: kind, now: now)
        context?.close(promise: nil)
    }

    func close() {
        context?.close(promise: nil)
    }

    // MARK: Receiving

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard exchange != nil else { return }  // bytes nobody asked for: ignored (the decoder will choke if they are not HTTP)
        switch unwrapInboundIn(data) {
        case .head(let head):
            let now = NIODeadline.now()
            exchange?.firstByte = now
            exchange?.status = Int(head.status.code)
            exchange?.keepAlive = head.isKeepAlive
            if let overhead = head.headers.first(name: "x-synapse-overhead-ms") { exchange?.overheadMilliseconds = Double(overhead) }
            if let path = exchange?.path {
                let stream = StreamMeasurement(head: head, path: path)
                exchange?.stream = stream.isPlain ? nil : stream
            }
        case .body(let body):
            exchange?.bytesReceived += body.readableBytes
            if exchange?.stream != nil { exchange?.stream?.observe(body, at: .now()) }
        case .end:
            guard let exchange else { return }
            let now = NIODeadline.now()
            self.exchange = nil
            // An answer that ends before the upload did (413, an early error) leaves the
            // request half-written: the connection cannot carry another one.
            let reusable = exchange.keepAlive && exchange.bodySent
            driver.exchangeEnded(self, sample: exchange.sample(at: now), reusable: reusable)
            if !reusable { context.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        end(failure: RequestSample.FailureKind(error: error), now: .now())
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        // The peer closed: mid-exchange that is a reset; idle, the connection is just gone.
        end(failure: .reset, now: .now())
        driver.connectionClosed(self)
        context.fireChannelInactive()
    }

    private func end(failure: RequestSample.FailureKind, now: NIODeadline) {
        guard let exchange else { return }
        self.exchange = nil
        driver.exchangeEnded(self, sample: exchange.sample(at: now, failure: failure), reusable: false)
    }
}
