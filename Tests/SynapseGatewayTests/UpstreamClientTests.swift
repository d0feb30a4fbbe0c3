import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOPosix
import SynapseCore
import Synchronization
import Testing

@testable import SynapseGateway

/// The pass-through client on its own: pooling, framing, deadlines and failure classification.
@Suite struct UpstreamClientTests {
    static func client(port: Int, connectTimeout: Duration = .seconds(5)) -> (UpstreamClient, ConnectionPool) {
        var backend = BackendConfig(id: BackendID("llama-embed")!, url: BackendURL.parse("http://127.0.0.1:\(port)")!, type: "openai-compatible")
        backend.timeouts.connect = connectTimeout
        let client = UpstreamClient(backends: [backend])
        return (client, client.pool(for: backend.id)!)
    }

    static func post(_ body: String) -> UpstreamClient.Request {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        return UpstreamClient.Request(method: .POST, target: "/v1/embeddings?x=1", headers: headers, body: .bytes(ByteBuffer(string: body)))
    }

    static func collect(_ response: HTTPClientResponse.Body) async throws -> String {
        var text = ""
        for try await chunk in response { text += String(buffer: chunk) }
        return text
    }

    /// Far enough that a loaded machine (hundreds of tests starting at once on two cores) never meets it.
    static var soon: NIODeadline { .now() + .seconds(60) }

    @Test func sequentialRequestsShareOneKeepAliveConnection() async throws {
        try await Harness.withUpstream({ EchoUpstream.register($0, paths: [(.post, "/v1/embeddings")]) }) { port in
            let (client, pool) = Self.client(port: port)
            defer { client.shutdown() }
            for _ in 0..<3 {
                let response = try await client.execute(Self.post(#"{"input":"hi"}"#), on: pool, deadline: Self.soon)
                #expect(response.status == .ok)
                let echo = try await Self.collect(response.body)
                #expect(echo.contains(#""body":"{\"input\":\"hi\"}""#))
                #expect(echo.contains(#""query":"x=1""#))
                #expect(echo.contains(#""content-length":"14""#))
                #expect(pool.idleCount == 1)
            }
        }
    }

    @Test func aBodyLeftUnreadClosesItsConnection() async throws {
        try await Harness.withUpstream({ EchoUpstream.register($0, paths: [(.post, "/v1/embeddings")]) }) { port in
            let (client, pool) = Self.client(port: port)
            defer { client.shutdown() }
            _ = try await client.execute(Self.post("{}"), on: pool, deadline: Self.soon)
            #expect(pool.idleCount == 0)
        }
    }

    @Test func aConnectionTheBackendClosesIsNotKept() async throws {
        try await Harness.withUpstream({ router in
            router.post("/v1/embeddings") { _, _ in Response(status: .ok, headers: [.connection: "close"], body: .init(byteBuffer: ByteBuffer(string: "{}"))) }
        }) { port in
            let (client, pool) = Self.client(port: port)
            defer { client.shutdown() }
            for _ in 0..<2 {
                let response = try await client.execute(Self.post("{}"), on: pool, deadline: Self.soon)
                #expect(try await Self.collect(response.body) == "{}")
                #expect(pool.idleCount == 0)
            }
        }
    }

    @Test func aSilentBackendFailsAtTheDeadline() async throws {
        try await Harness.withUpstream({ router in
            router.post("/v1/embeddings") { _, _ -> Response in
                try await Task.sleep(for: .seconds(30))
                return Response(status: .ok)
            }
        }) { port in
            let (client, pool) = Self.client(port: port)
            defer { client.shutdown() }
            await #expect(throws: UpstreamFailure.deadlineExceeded) {
                _ = try await client.execute(Self.post("{}"), on: pool, deadline: .now() + .milliseconds(200))
            }
            #expect(pool.idleCount == 0)
        }
    }

    @Test func aRefusedConnectionIsAConnectionFailure() async throws {
        let port = try await Harness.deadPort()
        let (client, pool) = Self.client(port: port)
        defer { client.shutdown() }
        do {
            _ = try await client.execute(Self.post("{}"), on: pool, deadline: Self.soon)
            Issue.record("expected a failure")
        } catch {
            #expect(UpstreamFailure.classify(error) == .connectFailed("connection refused"))
        }
    }

    /// A backend route that answers after `?ms=` milliseconds.
    static func slowRoute(_ router: Router<BasicRequestContext>) {
        router.post("/v1/embeddings") { request, _ -> String in
            let delay = request.uri.queryParameters.get("ms", as: Int.self) ?? 0
            try await Task.sleep(for: .milliseconds(delay))
            return "{}"
        }
    }

    static func post(waiting ms: Int) -> UpstreamClient.Request {
        var request = post("{}")
        request.target = "/v1/embeddings?ms=\(ms)"
        return request
    }

    @Test func eachEventLoopHasItsOwnPoolAndItsConnectionsLiveThere() async throws {
        try await Harness.withUpstream(Self.slowRoute) { port in
            var backend = BackendConfig(id: BackendID("llama-embed")!, url: BackendURL.parse("http://127.0.0.1:\(port)")!, type: "openai-compatible")
            backend.timeouts.connect = .seconds(5)
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
            let client = UpstreamClient(backends: [backend], eventLoopGroup: group)
            let loops = Array(group.makeIterator())
            for loop in loops {
                let pool = try #require(client.pool(for: backend.id, on: loop))
                #expect(pool.eventLoop === loop)
                let response = try await client.execute(Self.post("{}"), on: pool, deadline: Self.soon)
                _ = try await Self.collect(response.body)
                #expect(pool.idleCount == 1)
            }
            #expect(client.pool(for: backend.id, on: loops[0]) !== client.pool(for: backend.id, on: loops[1]))
            #expect(client.pool(for: BackendID("whisper-stt")!) == nil)
            client.shutdown()
            try await group.shutdownGracefully()
        }
    }

    @Test func bytesArrivingOnAnIdleConnectionCloseItInsteadOfAnsweringTheNextRequest() async throws {
        // Answers each connection's first request, then sends a stray 408 on it while it is idle:
        // read as the next request's answer, it would be a 408.
        let accepted = Counter()
        let (closed, closing) = AsyncStream.makeStream(of: Void.self)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                accepted.increment()
                return channel.pipeline.addHandler(AnswerThenStray(closing: closing))
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let (client, pool) = Self.client(port: server.localAddress!.port!)
        defer { client.shutdown() }
        let first = try await client.execute(Self.post("{}"), on: pool, deadline: Self.soon)
        #expect(try await Self.collect(first.body) == "{}")
        // The stray answer arrives and the client closes the idle connection (the server sees it go).
        try await withTimeout(.seconds(60)) { for await _ in closed { break } }
        let second = try await client.execute(Self.post("{}"), on: pool, deadline: Self.soon)
        #expect(second.status == .ok)
        #expect(try await Self.collect(second.body) == "{}")
        #expect(accepted.value == 2)
    }
}

/// Answers the first bytes of a connection with a keep-alive 200, then writes an unrequested 408
/// 100 ms later; says when the client has closed the connection.
private final class AnswerThenStray: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private var answered = false  // touched on the channel's event loop only
    let closing: AsyncStream<Void>.Continuation

    init(closing: AsyncStream<Void>.Continuation) {
        self.closing = closing
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing.yield()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        answered = true
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")), promise: nil)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: .milliseconds(100)) {
            loopBound.value.writeAndFlush(NIOAny(ByteBuffer(string: "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n")), promise: nil)
        }
    }
}

/// A thread-safe count.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
