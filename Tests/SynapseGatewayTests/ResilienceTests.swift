import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOPosix
import SynapseClock
import SynapseCore
import SynapseMockKit
import SynapseResilience
import SynapseTestSupport
import Synchronization
import Testing

@testable import SynapseGateway

/// The breaker, retries and deadlines as clients see them, on a manual clock (no real waiting).
@Suite struct ResilienceTests {
    let body = Data(#"{"input":"hello"}"#.utf8)
    let json = [("Content-Type", "application/json")]

    /// Sends one request in the background and returns its task.
    func start(_ client: HTTPClient, _ url: String) -> Task<Reply, any Error> {
        let body = body
        let json = json
        return Task { try await client.send(.POST, url, headers: json, body: body) }
    }

    @Test func refusingBackendIsRetriedThenTheBreakerOpensThenOneProbeClosesIt() async throws {
        let clock = VirtualClock()
        let port = try await Harness.deadPort()
        try await Harness.withGatewayService(Harness.config(["llama-embed": port]), clock: AnyClock(clock)) { gateway, url in
            try await Harness.withClient { client in
                // Request 1: 4 attempts at t = 0, 0.5, 1.5, 3.5 s, then 503 backend_unavailable.
                let first = start(client, url + "/v1/embeddings")
                for delay in [Duration.milliseconds(500), .seconds(1), .seconds(2)] {
                    try await withTimeout(.seconds(10)) { try await clock.waitForSleepers(count: 1) }
                    #expect(clock.nextDeadline == clock.now.advanced(by: delay))
                    clock.advance(by: delay)
                }
                let reply1 = try await first.value
                #expect(reply1.status == 503)
                #expect(reply1.errorCode == "backend_unavailable")
                #expect(reply1.header("X-Synapse-Attempts") == "4")
                #expect(clock.now == VirtualClock.Instant(offset: .milliseconds(3500)))

                // Request 2: its first failure is the 5th: the breaker opens, no retry.
                let reply2 = try await client.send(.POST, url + "/v1/embeddings", headers: json, body: body)
                #expect(reply2.status == 503)
                #expect(reply2.errorCode == "circuit_open")
                #expect(reply2.header("Retry-After") == "30")
                #expect(reply2.header("X-Synapse-Attempts") == "1")
                #expect(gateway.breakers[BackendID("llama-embed")!]?.state == .open)

                // Requests 3 onward fail at once, without a connection attempt.
                clock.advance(by: .seconds(10))
                for _ in 0..<5 {
                    let reply = try await client.send(.POST, url + "/v1/embeddings", headers: json, body: body)
                    #expect(reply.errorCode == "circuit_open")
                    #expect(reply.header("Retry-After") == "20")
                    #expect(reply.header("X-Synapse-Attempts") == "0")
                }
                let metrics = String(decoding: gateway.metrics.render(breakers: gateway.breakers.snapshots), as: UTF8.self)
                #expect(metrics.contains(#"synapse_upstream_attempts_total{backend="llama-embed",outcome="connect_failed"} 5"#))
                #expect(metrics.contains(#"synapse_breaker_state{backend="llama-embed",state="open"} 1"#))

                // After the cooldown, with the backend back, one probe goes through and closes the breaker.
                clock.advance(by: .seconds(20))
                try await Harness.withUpstream(
                    port: port,
                    { router in
                        router.post("/v1/embeddings") { _, _ in #"{"data":[]}"# }
                    }
                ) { _ in
                    let probe = try await client.send(.POST, url + "/v1/embeddings", headers: json, body: body)
                    #expect(probe.status == 200)
                    #expect(gateway.breakers[BackendID("llama-embed")!]?.state == .closed)
                }
            }
        }
    }

    @Test func concurrentRequestsWhenTheCooldownEndsSendExactlyOneProbe() async throws {
        let clock = VirtualClock()
        let port = try await Harness.deadPort()
        let config = Harness.config(["llama-embed": port]) { $0.backends[0].retry.delays = [] }  // one attempt each
        try await Harness.withGatewayService(config, clock: AnyClock(clock)) { gateway, url in
            var pool = HTTPClient.Configuration()
            pool.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 200)
            let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: pool)
            for _ in 0..<5 { _ = try await client.send(.POST, url + "/v1/embeddings", headers: json, body: body) }
            #expect(gateway.breakers[BackendID("llama-embed")!]?.state == .open)

            let hits = Mutex(0)
            let probeHeld = StreamingRelayTests.Gate()
            try await Harness.withUpstream(
                port: port,
                { router in
                    router.post("/v1/embeddings") { _, _ -> String in
                        hits.withLock { $0 += 1 }
                        await probeHeld.wait(for: 0)  // keep the probe in flight while the others arrive
                        return #"{"data":[]}"#
                    }
                }
            ) { _ in
                clock.advance(by: .seconds(30))
                let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                    for _ in 0..<200 { group.addTask { try await client.send(.POST, url + "/v1/embeddings", headers: json, body: body) } }
                    var rejected: [Reply] = []
                    for _ in 0..<199 { rejected.append(try await group.next()!) }  // all but the probe finish at once
                    probeHeld.release(0)
                    return rejected + [try await group.next()!]
                }
                #expect(hits.withLock { $0 } == 1, "exactly one request reached the backend")
                #expect(replies.filter { $0.status == 200 }.count == 1)
                #expect(replies.filter { $0.errorCode == "circuit_open" }.count == 199)
                #expect(gateway.breakers[BackendID("llama-embed")!]?.state == .closed)
            }
            try await client.shutdown()
        }
    }

    @Test func noRetryOnA500OrATimeout() async throws {
        let hits = Mutex(0)
        try await Harness.withUpstream({ router in
            router.post("/v1/embeddings") { _, _ -> Response in
                hits.withLock { $0 += 1 }
                return Response(status: .internalServerError, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
            }
            router.post("/v1/chat/completions") { _, _ -> Response in
                hits.withLock { $0 += 1 }
                try await Task.sleep(for: .seconds(30))
                return Response(status: .ok)
            }
        }) { port in
            // 3 s, not 1: a test process whose CPU the audio mocks' tests saturate could spend a
            // whole second before the attempt, and answer the 504 without one.
            let config = Harness.config(["llama-embed": port, "llama-router": port]) { config in
                config.backends[config.backends.firstIndex { $0.id.rawValue == "llama-router" }!].timeouts.total = .seconds(3)
            }
            try await Harness.withGateway(config) { url in
                try await Harness.withClient { client in
                    let failed = try await client.send(.POST, url + "/v1/embeddings", headers: json, body: body)
                    #expect(failed.status == 500)
                    #expect(failed.header("X-Synapse-Attempts") == "1")
                    let slow = try await client.send(.POST, url + "/v1/chat/completions", headers: json, body: body)
                    #expect(slow.status == 504)
                    #expect(slow.header("X-Synapse-Attempts") == "1")
                }
            }
        }
        #expect(hits.withLock { $0 } == 2)
    }

    // A time limit, so a retry that never comes fails the test instead of holding the whole run.
    @Test(.timeLimit(.minutes(2))) func largeUploadRetriedAfterTwoRefusedConnectionsArrivesIntact() async throws {
        let clock = VirtualClock()
        let port = try await Harness.deadPort()
        var form = MultipartBody()
        var generator = SplitMix64(seed: 42)
        form.parts.append(("file", "big.wav", "audio/wav", Data((0..<(20 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) })))
        let upload = form.data
        let contentType = form.contentType
        let expected = SHA256.hex(Array(upload))
        let spoolsBefore = try Self.spoolFiles()
        try await Harness.withGateway(Harness.config(["whisper-stt": port]), clock: AnyClock(clock)) { url in
            try await Harness.withClient { client in
                let request = Task {
                    try await client.send(.POST, url + "/stt/transcribe", headers: [("Content-Type", contentType)], body: upload, timeout: .seconds(120))
                }
                // Whatever fails below, the upload does not outlive the test's client and gateway.
                defer { request.cancel() }
                // Generous bounds: the 20 MiB body is spooled before the first attempt, slowly on a loaded machine.
                try await withTimeout(.seconds(30)) { try await clock.waitForSleepers(count: 1) }  // attempt 1 refused
                clock.advance(by: .milliseconds(500))
                try await withTimeout(.seconds(30)) { try await clock.waitForSleepers(count: 1) }  // attempt 2 refused
                try await Harness.withUpstream(
                    port: port,
                    { router in
                        router.post("/transcribe") { request, _ -> String in
                            var hash = SHA256()
                            for try await chunk in request.body { hash.update(chunk.readableBytesView) }
                            return SHA256.hexString(hash.finalize())
                        }
                    }
                ) { _ in
                    clock.advance(by: .seconds(1))
                    let reply = try await request.value
                    #expect(reply.status == 200)
                    #expect(reply.text == expected)
                    #expect(reply.header("X-Synapse-Attempts") == "3")
                }
            }
        }
        #expect(try Self.spoolFiles() == spoolsBefore, "no temporary file is left behind")
    }

    @Test func adminAPIForcesBreakersAndNeedsTheTokenWhenOneIsSet() async throws {
        let port = try await Harness.deadPort()
        let config = Harness.config(["llama-embed": port]) { $0.gateway.adminToken = "t0ken" }
        try await Harness.withGateway(config) { url in
            try await Harness.withClient { client in
                let denied = try await client.send(.GET, url + "/admin/breakers")
                #expect(denied.status == 401)
                let auth = [("Authorization", "Bearer t0ken")]
                let opened = try await client.send(.POST, url + "/admin/breakers/llama-embed/open", headers: auth)
                #expect(opened.status == 200)
                #expect((opened.json?["breaker"] as? [String: Any])?["state"] as? String == "open")
                let rejected = try await client.send(.POST, url + "/v1/embeddings", headers: json, body: body)
                #expect(rejected.errorCode == "circuit_open")
                let list = try await client.send(.GET, url + "/admin/breakers", headers: auth)
                #expect(((list.json?["breakers"] as? [String: Any])?["llama-embed"] as? [String: Any])?["state"] as? String == "open")
                let health = try await client.send(.GET, url + "/health")
                let backend = (health.json?["backends"] as? [String: Any])?["llama-embed"] as? [String: Any]
                #expect((backend?["breaker"] as? [String: Any])?["state"] as? String == "open")
                let reset = try await client.send(.POST, url + "/admin/breakers/llama-embed/reset", headers: auth)
                #expect((reset.json?["breaker"] as? [String: Any])?["state"] as? String == "closed")
                #expect(try await client.send(.POST, url + "/admin/breakers/nope/reset", headers: auth).status == 404)
                #expect(try await client.send(.POST, url + "/admin/breakers/llama-embed/explode", headers: auth).status == 400)
                let metrics = try await client.send(.GET, url + "/metrics")
                #expect(metrics.text.contains("synapse_breaker_transitions_total"))
                #expect(metrics.text.contains(#"reason="forced_open""#))
            }
        }
    }

    static func spoolFiles() throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("synapse-spool-") })
    }
}
