import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import SynapseCore
import Synchronization
import Testing

@testable import SynapseGateway

/// W3C trace context through the gateway, and its spans at a local OTLP/HTTP receiver.
@Suite struct TracingTests {
    /// What the backend was sent, request by request.
    final class Hops: Sendable {
        let list = Mutex<[(parent: String?, state: String?)]>([])
    }

    static let clientTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let clientSpan = "00f067aa0ba902b7"
    static let json = [("Content-Type", "application/json")]
    static let body = Data(#"{"input":"hi","model":"m"}"#.utf8)

    /// An upstream answering `/v1/embeddings`, keeping each request's `traceparent` and `tracestate`.
    static func withTracedUpstream<T: Sendable>(
        status: HTTPResponse.Status = .ok, _ body: @Sendable (Int, Hops) async throws -> T
    ) async throws -> T {
        let seen = Hops()
        return try await Harness.withUpstream({ router in
            router.post("/v1/embeddings") { request, _ -> Response in
                seen.list.withLock { $0.append((request.headers[.init("traceparent")!], request.headers[.init("tracestate")!])) }
                return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"data":[]}"#)))
            }
        }) { port in try await body(port, seen) }
    }

    @Test func aClientsTraceContinuesThroughTheGatewayAndEachHopIsASpan() async throws {
        try await OTLPReceiver.with { receiver, endpoint in
            try await Self.withTracedUpstream { port, seen in
                let config = Harness.config(["llama-embed": port]) {
                    $0.exportSpans(to: endpoint)
                    $0.gateway.instanceID = "synapse-7f9c-a"
                }
                try await Harness.withGateway(config) { gateway in
                    try await Harness.withClient { client in
                        let headers =
                            Self.json + [
                                ("traceparent", "00-\(Self.clientTrace)-\(Self.clientSpan)-01"), ("tracestate", "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"),
                            ]
                        let reply = try await client.send(.POST, gateway + "/v1/embeddings", headers: headers, body: Self.body)
                        #expect(reply.status == 200)
                    }
                }
                // The backend saw the client's trace, sampled, with a span id of the gateway's, and the state unchanged.
                let hop = try #require(seen.list.withLock { $0.first })
                let parts = try #require(hop.parent?.split(separator: "-").map(String.init))
                #expect(parts.count == 4 && parts[0] == "00" && parts[1] == Self.clientTrace && parts[3] == "01")
                #expect(parts[2] != Self.clientSpan && parts[2].count == 16)
                #expect(hop.state == "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")

                let spans = try await receiver.waitForSpans(2)
                let server = try #require(spans.first { $0.kind == 2 })
                let attempt = try #require(spans.first { $0.kind == 3 })
                #expect(server.traceID == Self.clientTrace && attempt.traceID == Self.clientTrace)
                #expect(server.parentSpanID == Self.clientSpan)
                #expect(server.name == "POST /v1/embeddings")
                #expect(server.string("http.route") == "/v1/embeddings" && server.int("http.response.status_code") == 200)
                #expect(server.traceState == "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE")
                #expect(attempt.parentSpanID == server.spanID)
                // The span the backend was told is its parent is the attempt's.
                #expect(attempt.spanID == parts[2])
                #expect(attempt.string("synapse.backend") == "llama-embed" && attempt.int("synapse.attempt") == 1)
                #expect(attempt.string("synapse.breaker.decision") == "allow" && attempt.int("http.response.status_code") == 200)
                #expect(attempt.int("http.request.resend_count") == nil)
                #expect(server.start <= attempt.start && attempt.end <= server.end)
                #expect(!server.failed && !attempt.failed)
                #expect(receiver.resource == ["service.name": "synapse", "service.instance.id": "synapse-7f9c-a"])
                #expect(receiver.contentTypes.allSatisfy { $0 == "application/json" })
            }
        }
    }

    @Test func withoutAValidClientTraceTheGatewayStartsOneAndDropsTheOrphanState() async throws {
        try await OTLPReceiver.with { receiver, endpoint in
            try await Self.withTracedUpstream { port, seen in
                let config = Harness.config(["llama-embed": port]) { $0.exportSpans(to: endpoint) }
                try await Harness.withGateway(config) { gateway in
                    try await Harness.withClient { client in
                        _ = try await client.send(.POST, gateway + "/v1/embeddings", headers: Self.json, body: Self.body)
                        // Upper-case hex is not a traceparent; its tracestate belongs to nothing.
                        let invalid = [("traceparent", "00-\(Self.clientTrace.uppercased())-\(Self.clientSpan)-01"), ("tracestate", "rojo=1")]
                        _ = try await client.send(.POST, gateway + "/v1/embeddings", headers: Self.json + invalid, body: Self.body)
                    }
                }
                let hops = seen.list.withLock { $0 }
                #expect(hops.count == 2)
                for hop in hops {
                    let parent = try #require(hop.parent)
                    #expect(parent.wholeMatch(of: /00-[0-9a-f]{32}-[0-9a-f]{16}-01/) != nil)
                    #expect(!parent.contains(Self.clientTrace))
                    #expect(hop.state == nil)
                }
                let servers = try await receiver.waitForSpans(2) { $0.kind == 2 }
                #expect(servers.count == 2)
                #expect(servers.allSatisfy { $0.parentSpanID == nil })
                #expect(Set(servers.map(\.traceID)).count == 2)
            }
        }
    }

    @Test func anUnsampledTraceIsPropagatedButNotRecorded() async throws {
        try await OTLPReceiver.with { receiver, endpoint in
            try await Self.withTracedUpstream { port, seen in
                let config = Harness.config(["llama-embed": port]) { $0.exportSpans(to: endpoint) }
                try await Harness.withGateway(config) { gateway in
                    try await Harness.withClient { client in
                        let headers = Self.json + [("traceparent", "00-\(Self.clientTrace)-\(Self.clientSpan)-00")]
                        _ = try await client.send(.POST, gateway + "/v1/embeddings", headers: headers, body: Self.body)
                        // A sampled request after it, so the export has something to prove it ran.
                        _ = try await client.send(.POST, gateway + "/v1/embeddings", headers: Self.json, body: Self.body)
                    }
                }
                let first = try #require(seen.list.withLock { $0.first?.parent })
                #expect(first.hasPrefix("00-\(Self.clientTrace)-") && first.hasSuffix("-00"))
                #expect(try await receiver.waitForSpans(2).count >= 2)
                #expect(!receiver.spans.contains { $0.traceID == Self.clientTrace })
            }
        }
    }

    /// With no collector, nothing is recorded, but both paths still propagate (the fast path
    /// takes the request once its pool is warm).
    @Test func withoutAnExporterBothPathsStillPropagateTheClientsTrace() async throws {
        try await Self.withTracedUpstream { port, seen in
            let config = Harness.config(["llama-embed": port])
            try await Harness.withGatewayService(config) { service, gateway in
                #expect(!service.tracer.isRecording)
                try await Harness.withClient { client in
                    let headers = Self.json + [("traceparent", "00-\(Self.clientTrace)-\(Self.clientSpan)-01"), ("tracestate", "k=v")]
                    for _ in 0..<5 {
                        #expect(try await client.send(.POST, gateway + "/v1/embeddings", headers: headers, body: Self.body).status == 200)
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    let metrics = try await client.send(.GET, gateway + "/metrics").text
                    let served = metrics.split(separator: "\n").filter { $0.hasPrefix(#"synapse_fast_path_requests_total{route="/v1/embeddings","#) }
                    #expect(served.count == 2, "one series for each codec")
                    #expect(served.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +) > 0)
                }
            }
            let hops = seen.list.withLock { $0 }
            #expect(hops.count == 5)
            for hop in hops {
                let parts = try #require(hop.parent?.split(separator: "-").map(String.init))
                #expect(parts.count == 4 && parts[1] == Self.clientTrace && parts[2] != Self.clientSpan && parts[3] == "01")
                #expect(hop.state == "k=v")
            }
        }
    }

    @Test func eachRetryIsASpanWithItsNumberAndTheBreakersDecision() async throws {
        let dead = try await Harness.deadPort()
        try await OTLPReceiver.with { receiver, endpoint in
            let config = Harness.config(["llama-embed": dead]) {
                $0.exportSpans(to: endpoint)
                $0.backends[0].retry.delays = [.milliseconds(10), .milliseconds(10)]
            }
            try await Harness.withGateway(config) { gateway in
                try await Harness.withClient { client in
                    let reply = try await client.send(.POST, gateway + "/v1/embeddings", headers: Self.json, body: Self.body)
                    #expect(reply.status == 503 && reply.header("X-Synapse-Attempts") == "3")
                }
            }
            let attempts = try await receiver.waitForSpans(3) { $0.kind == 3 }.sorted { $0.start < $1.start }
            let server = try #require(try await receiver.waitForSpans(1) { $0.kind == 2 }.first)
            #expect(attempts.map { $0.int("synapse.attempt") } == [1, 2, 3])
            #expect(attempts.map { $0.int("http.request.resend_count") } == [nil, 1, 2])
            #expect(attempts.allSatisfy { $0.string("error.type") == "connect_failed" && $0.failed && $0.parentSpanID == server.spanID })
            #expect(attempts.allSatisfy { $0.string("synapse.breaker.decision") == "allow" })
            #expect(server.failed && server.int("http.response.status_code") == 503)
        }
    }

    @Test func anOpenBreakersRefusalIsASpanToo() async throws {
        let dead = try await Harness.deadPort()
        try await OTLPReceiver.with { receiver, endpoint in
            let config = Harness.config(["llama-embed": dead]) {
                $0.exportSpans(to: endpoint)
                $0.backends[0].retry.delays = []
                $0.backends[0].breaker.failureThreshold = 1
            }
            try await Harness.withGateway(config) { gateway in
                try await Harness.withClient { client in
                    _ = try await client.send(.POST, gateway + "/v1/embeddings", headers: Self.json, body: Self.body)
                    let refused = try await client.send(.POST, gateway + "/v1/embeddings", headers: Self.json, body: Self.body)
                    #expect(refused.errorCode == "circuit_open")
                }
            }
            let attempts = try await receiver.waitForSpans(2) { $0.kind == 3 }
            #expect(Set(attempts.compactMap { $0.string("synapse.breaker.decision") }) == ["allow", "reject"])
        }
    }
}
