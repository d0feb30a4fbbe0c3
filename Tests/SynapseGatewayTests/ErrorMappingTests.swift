import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOPosix
import SynapseCore
import Testing

@testable import SynapseGateway

/// Transport failures and backend errors become the right status and body.
@Suite struct ErrorMappingTests {
    let embeddings = Data(#"{"input":"hello"}"#.utf8)
    let json = [("Content-Type", "application/json")]

    @Test func refusedConnectionIsBackendUnavailable() async throws {
        let port = try await Harness.deadPort()
        try await Harness.withGateway(Harness.config(["llama-embed": port])) { gateway in
            try await Harness.withClient { client in
                let reply = try await client.send(.POST, gateway + "/v1/embeddings", headers: json + [("X-Request-ID", "r-1")], body: embeddings)
                #expect(reply.status == 503)
                #expect(reply.errorCode == "backend_unavailable")
                let error = try #require(reply.json?["error"] as? [String: Any])
                #expect(error["backend"] as? String == "llama-embed")
                #expect(error["request_id"] as? String == "r-1")
                #expect(error["type"] as? String == "server_error")
                #expect(error["message"] as? String != nil)
            }
        }
    }

    @Test func upstreamPastTheDeadlineIsUpstreamTimeout() async throws {
        try await Harness.withUpstream({ router in
            router.post("/v1/embeddings") { _, _ -> Response in
                try await Task.sleep(for: .seconds(30))
                return Response(status: .ok)
            }
        }) { port in
            let config = Harness.config(["llama-embed": port]) { $0.backends[0].timeouts.total = .milliseconds(200) }
            try await Harness.withGateway(config) { gateway in
                try await Harness.withClient { client in
                    let started = ContinuousClock.now
                    let reply = try await client.send(.POST, gateway + "/v1/embeddings", headers: json, body: embeddings)
                    #expect(reply.status == 504)
                    #expect(reply.errorCode == "upstream_timeout")
                    #expect(ContinuousClock.now - started < .seconds(10))
                }
            }
        }
    }

    /// An embeddings request through a gateway whose llama-embed is a raw NIO server with one
    /// `handler` per connection: the answer must be a 502 `bad_gateway`.
    func expectBadGateway(from handler: @escaping @Sendable () -> any ChannelHandler & Sendable) async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in channel.pipeline.addHandler(handler()) }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        try await Harness.withGateway(Harness.config(["llama-embed": server.localAddress!.port!])) { gateway in
            try await Harness.withClient { client in
                let reply = try await client.send(.POST, gateway + "/v1/embeddings", headers: json, body: embeddings)
                #expect(reply.status == 502)
                #expect(reply.errorCode == "bad_gateway")
            }
        }
    }

    @Test func upstreamThatClosesBeforeAnsweringIsBadGateway() async throws {
        // Accepts, reads the request, then closes without a response.
        try await expectBadGateway { CloseOnRead() }
    }

    @Test func aSmallBodyThatEndsShortOfItsLengthIsBadGatewayNotATruncatedSuccess() async throws {
        // Announces 10 bytes, sends 5, closes: the gateway reads small bodies whole before
        // answering, so the client gets a clean 502 instead of a 200 cut off mid-body.
        try await expectBadGateway { AnswerShortThenClose() }
    }

    @Test func nonJSONUpstreamErrorIsWrapped() async throws {
        try await Harness.withUpstream({ router in
            router.post("/transcribe") { _, _ -> Response in
                Response(
                    status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: "Internal Server Error")))
            }
        }) { port in
            try await Harness.withGateway(Harness.config(["whisper-stt": port])) { gateway in
                try await Harness.withClient { client in
                    var form = MultipartBody()
                    form.parts.append(("file", "x.txt", "text/plain", Data("not audio".utf8)))
                    let reply = try await client.send(.POST, gateway + "/stt/transcribe", headers: [("Content-Type", form.contentType)], body: form.data)
                    #expect(reply.status == 500)
                    let error = try #require(reply.json?["error"] as? [String: Any])
                    #expect(error["type"] as? String == "upstream_error")
                    #expect(error["detail"] as? String == "Internal Server Error")
                    #expect(error["backend"] as? String == "whisper-stt")
                }
            }
        }
    }

    @Test func jsonUpstreamErrorPassesThroughUnchanged() async throws {
        let body = #"{"error":{"code":400,"message":"\"input\" or \"content\" must be provided","type":"invalid_request_error"}}"#
        try await Harness.withUpstream({ router in
            router.post("/v1/embeddings") { _, _ -> Response in
                Response(
                    status: .badRequest, headers: [.contentType: "application/json; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: body)))
            }
        }) { port in
            try await Harness.withGateway(Harness.config(["llama-embed": port])) { gateway in
                try await Harness.withClient { client in
                    let reply = try await client.send(.POST, gateway + "/v1/embeddings", headers: json, body: embeddings)
                    #expect(reply.status == 400)
                    #expect(reply.text == body)
                    #expect(reply.header("Content-Type") == "application/json; charset=utf-8")
                }
            }
        }
    }
}

/// Closes the connection as soon as anything arrives.
private final class CloseOnRead: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.close(promise: nil)
    }
}

/// Answers with a 200 announcing a 10-byte body, sends 5 of them and closes.
private final class AnswerShortThenClose: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello"))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
