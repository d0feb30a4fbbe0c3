import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import SynapseCore

/// A small HTTP/1.1 server for the load tests: answers as each test says, and remembers what
/// arrived (when, the head, the body's size and SHA-256) and the most requests it held at once.
final class TestTarget: Sendable {
    /// How to answer one request.
    enum Answer: Sendable {
        /// A whole answer at once.
        case respond(status: Int = 200, headers: [(String, String)] = [], body: String = "ok")
        /// Chunked: each piece written `after` the head (the same origin for every piece).
        case stream(headers: [(String, String)], pieces: [(after: Duration, bytes: [UInt8])])
        /// A head promising 100 bytes, 10 of them, then the connection closed.
        case closeMidResponse
        /// Never answers.
        case hang
        /// Answers after a delay.
        case delayed(Duration, status: Int = 200)
    }

    struct Arrival: Sendable {
        var at: NIODeadline
        var method: HTTPMethod
        var uri: String
        var headers: HTTPHeaders
        var bodyBytes: Int
        var bodySHA256: String?
    }

    private struct State {
        var arrivals: [Arrival] = []
        var current = 0
        var highest = 0
    }

    let port: Int
    private let channel: any Channel
    private let state: NIOLockedValueBox<State>

    var url: String { "http://127.0.0.1:\(port)" }
    var arrivals: [Arrival] { state.withLockedValue { $0.arrivals } }
    /// The most requests in progress at the same time (head received, answer not finished).
    var highestConcurrency: Int { state.withLockedValue { $0.highest } }

    /// `hashBodies`: SHA-256 of every body (slow in debug builds for large bodies: off for them).
    static func with<T>(
        hashBodies: Bool = true, answer: @escaping @Sendable (HTTPRequestHead) -> Answer = { _ in .respond() },
        _ body: (TestTarget) async throws -> T
    ) async throws -> T {
        let state = NIOLockedValueBox(State())
        // A loop of its own: a target taking a 200 MiB upload keeps its loop busy for a while,
        // and the shared singleton loops serve the other suites' servers meanwhile.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(TargetHandler(state: state, hashBodies: hashBodies, answer: answer))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        let target = TestTarget(port: channel.localAddress?.port ?? 0, channel: channel, state: state)
        do {
            let result = try await body(target)
            try? await channel.close()
            try? await group.shutdownGracefully()
            return result
        } catch {
            try? await channel.close()
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private init(port: Int, channel: any Channel, state: NIOLockedValueBox<State>) {
        self.port = port
        self.channel = channel
        self.state = state
    }

    // @unchecked Sendable: a channel handler, used on its channel's event loop only.
    private final class TargetHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let state: NIOLockedValueBox<State>
        let hashBodies: Bool
        let answer: @Sendable (HTTPRequestHead) -> Answer
        var head: HTTPRequestHead?
        var arrivedAt = NIODeadline.now()
        var bytes = 0
        var hasher = SHA256()
        var context: ChannelHandlerContext?

        init(state: NIOLockedValueBox<State>, hashBodies: Bool, answer: @escaping @Sendable (HTTPRequestHead) -> Answer) {
            self.state = state
            self.hashBodies = hashBodies
            self.answer = answer
        }

        func handlerAdded(context: ChannelHandlerContext) {
            self.context = context
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                arrivedAt = .now()
                bytes = 0
                hasher = SHA256()
                state.withLockedValue {
                    $0.current += 1
                    $0.highest = max($0.highest, $0.current)
                }
            case .body(let buffer):
                bytes += buffer.readableBytes
                if hashBodies { hasher.update(buffer.readableBytesView) }
            case .end:
                guard let head else { return }
                let arrival = Arrival(
                    at: arrivedAt, method: head.method, uri: head.uri, headers: head.headers, bodyBytes: bytes,
                    bodySHA256: hashBodies ? SHA256.hexString(hasher.finalize()) : nil)
                state.withLockedValue { $0.arrivals.append(arrival) }
                respond(answer(head), context: context)
            }
        }

        private func finished() {
            state.withLockedValue { $0.current -= 1 }
        }

        private func respond(_ answer: Answer, context: ChannelHandlerContext) {
            let loop = context.eventLoop
            switch answer {
            case .respond(let status, let headers, let body):
                var fields = HTTPHeaders(headers)
                fields.replaceOrAdd(name: "Content-Length", value: String(body.utf8.count))
                finished()
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: fields))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            case .stream(let headers, let pieces):
                var fields = HTTPHeaders(headers)
                fields.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: fields))), promise: nil)
                let start = NIODeadline.now()
                for (index, piece) in pieces.enumerated() {
                    let (seconds, attoseconds) = piece.after.components
                    let at = start + .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
                    loop.scheduleTask(deadline: at) {
                        self.context?.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: piece.bytes)))), promise: nil)
                        if index == pieces.count - 1 {
                            self.finished()
                            self.context?.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: nil)
                        }
                    }
                }
            case .closeMidResponse:
                let fields = HTTPHeaders([("Content-Length", "100")])
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: fields))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "0123456789")))), promise: nil)
                finished()
                loop.scheduleTask(in: .milliseconds(20)) { self.context?.close(promise: nil) }
            case .hang:
                break
            case .delayed(let delay, let status):
                let (seconds, attoseconds) = delay.components
                loop.scheduleTask(in: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)) {
                    if let context = self.context { self.respond(.respond(status: status), context: context) }
                }
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            context.fireChannelInactive()
        }
    }
}
