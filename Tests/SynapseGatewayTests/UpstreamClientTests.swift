import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import SynapseCore
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

    static var soon: NIODeadline { .now() + .seconds(10) }

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
}
