import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Graceful drain of a real `synapse serve` process, driven by real signals: `/readyz` turns 503
/// at once, the listener serves through the drain window, in-flight requests finish within the
/// grace period, the process exits 0; a second signal exits at once.
///
/// The windows are short here (a fraction of a second to a few seconds) so that the suite stays
/// quick; the bounds on "at once" are generous for a loaded machine.
@Suite struct GracefulDrainTests {
    static let json = [("Content-Type", "application/json")]

    @Test func sigtermTurnsReadyzTo503AtOnceServesThroughTheDrainWindowAndLetsAnInFlightRequestFinish() async throws {
        let (arrivals, arrival) = AsyncStream<Void>.makeStream()
        try await Harness.withUpstream({ router in Self.embeddings(router, slowFor: .seconds(4), arrival: arrival) }) { upstream in
            try await ServeProcess.with(configYAML: Self.yaml(upstream: upstream, drainWindow: "3s", grace: "20s")) { gateway in
                try await Harness.withClient { client in
                    let ready = try await Self.fresh(.GET, gateway.url + "/readyz")
                    #expect(ready.status == 200 && ready.header("Connection")?.lowercased() != "close")
                    let slow = Task { try await client.send(.POST, gateway.url + "/v1/embeddings", headers: Self.json, body: Data(#"{"input":"slow"}"#.utf8)) }
                    await arrivals.first { _ in true }

                    gateway.signal(SIGTERM)
                    let signalled = ContinuousClock.now
                    // How late the first probe answered 503 was sent: the flip happened before it
                    // was served. (Its answer's own round trip is not counted: on a loaded machine
                    // that alone can take longer than the flip.)
                    var sent = ContinuousClock.now
                    var readyz = try await Self.fresh(.GET, gateway.url + "/readyz")
                    while readyz.status == 200, ContinuousClock.now - signalled < .seconds(2) {
                        sent = ContinuousClock.now
                        readyz = try await Self.fresh(.GET, gateway.url + "/readyz")
                    }
                    let flipped = sent - signalled
                    #expect(readyz.status == 503 && readyz.json?["status"] as? String == "shutting_down")
                    #expect(flipped < .milliseconds(500), "readyz turned 503 after \(flipped)")

                    // Still the drain window: new connections are accepted and served, proxied requests too.
                    #expect(try await Self.fresh(.GET, gateway.url + "/healthz").status == 200)
                    let proxied = try await Self.fresh(.POST, gateway.url + "/v1/embeddings", body: Data(#"{"input":"fast"}"#.utf8))
                    #expect(proxied.status == 200 && proxied.text == #"{"data":["fast"]}"#)
                    // Keep-alive clients are told to open their next connection elsewhere.
                    #expect(proxied.header("Connection")?.lowercased() == "close")
                    #expect(ContinuousClock.now - signalled < .seconds(3), "the checks above must run inside the drain window")

                    // After the window the listener is closed, while the slow request is still under way.
                    try await Task.sleep(until: signalled + .milliseconds(3500))
                    await #expect(throws: (any Error).self) { try await Self.fresh(.GET, gateway.url + "/healthz") }

                    let reply = try await slow.value
                    #expect(reply.status == 200 && reply.text == #"{"data":["slow"]}"#)
                }
                let exit = try await gateway.exitStatus(within: .seconds(10))
                #expect(exit == 0, "\(gateway.log)")
            }
        }
    }

    @Test func aStreamUnderWayWhenTheListenerClosesRunsToItsEnd() async throws {
        try await Harness.withUpstream({ router in
            router.post("/v1/embeddings") { request, _ -> Response in
                _ = try await request.body.collect(upTo: 1 << 16)
                return Response(
                    status: .ok, headers: [.contentType: "text/event-stream"],
                    body: ResponseBody { writer in
                        for event in 0..<5 {
                            try await writer.write(ByteBuffer(string: "data: \(event)\n\n"))
                            try await Task.sleep(for: .milliseconds(400))
                        }
                        try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
                        try await writer.finish(nil)
                    })
            }
        }) { upstream in
            try await ServeProcess.with(configYAML: Self.yaml(upstream: upstream, drainWindow: "0s", grace: "20s")) { gateway in
                try await Harness.withClient { client in
                    var request = HTTPClientRequest(url: gateway.url + "/v1/embeddings")
                    request.method = .POST
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .bytes(ByteBuffer(string: #"{"input":"stream"}"#))
                    let response = try await client.execute(request, timeout: .seconds(20))
                    #expect(response.status == .ok)
                    var received = ""
                    var signalled = false
                    for try await chunk in response.body {
                        received += String(buffer: chunk)
                        if !signalled {
                            // The first event is in: the listener closes now, the stream goes on.
                            gateway.signal(SIGTERM)
                            signalled = true
                            try await Self.waitUntilRefused(gateway.url + "/healthz")
                        }
                    }
                    #expect(received == (0..<5).map { "data: \($0)\n\n" }.joined() + "data: [DONE]\n\n")
                }
                let exit = try await gateway.exitStatus(within: .seconds(10))
                #expect(exit == 0, "\(gateway.log)")
            }
        }
    }

    /// The live log feed never ends by itself; when the listener closes it ends cleanly (rather
    /// than holding the process for the whole grace period).
    @Test func theTerminalFeedEndsCleanlyWhenTheListenerCloses() async throws {
        let yaml = Self.yaml(upstream: 9, drainWindow: "0s", grace: "60s") + "\nterminalFeed: {mode: live}\n"
        try await ServeProcess.with(configYAML: yaml) { gateway in
            try await Harness.withClient { client in
                let response = try await client.execute(HTTPClientRequest(url: gateway.url + "/events/terminal"), timeout: .seconds(20))
                #expect(response.status == .ok)
                var received = ""
                for try await chunk in response.body {
                    if received.isEmpty { gateway.signal(SIGTERM) }
                    received += String(buffer: chunk)
                }
                #expect(received.hasPrefix("event: meta"))
            }
            let exit = try await gateway.exitStatus(within: .seconds(5))
            #expect(exit == 0, "\(gateway.log)")
        }
    }

    @Test(arguments: [(SIGTERM, Int32(143)), (SIGINT, Int32(130))])
    func aSecondSignalDuringTheGracePeriodExitsAtOnce(second: Int32, status: Int32) async throws {
        let (arrivals, arrival) = AsyncStream<Void>.makeStream()
        try await Harness.withUpstream({ router in Self.embeddings(router, slowFor: .seconds(60), arrival: arrival) }) { upstream in
            try await ServeProcess.with(configYAML: Self.yaml(upstream: upstream, drainWindow: "0s", grace: "60s")) { gateway in
                try await Harness.withClient { client in
                    let slow = Task { try await client.send(.POST, gateway.url + "/v1/embeddings", headers: Self.json, body: Data(#"{"input":"slow"}"#.utf8)) }
                    await arrivals.first { _ in true }
                    gateway.signal(SIGTERM)
                    // In the grace period: the listener is closed, the slow request holds the process.
                    try await Self.waitUntilRefused(gateway.url + "/healthz")
                    #expect(gateway.isRunning)

                    gateway.signal(second)
                    let exit = try await gateway.exitStatus(within: .seconds(3))
                    #expect(exit == status, "\(gateway.log)")
                    await #expect(throws: (any Error).self) { try await slow.value }
                }
            }
        }
    }

    @Test func aRequestStillRunningWhenTheGracePeriodEndsIsCutAndTheProcessExits() async throws {
        let (arrivals, arrival) = AsyncStream<Void>.makeStream()
        try await Harness.withUpstream({ router in Self.embeddings(router, slowFor: .seconds(60), arrival: arrival) }) { upstream in
            try await ServeProcess.with(configYAML: Self.yaml(upstream: upstream, drainWindow: "0s", grace: "1s")) { gateway in
                try await Harness.withClient { client in
                    let slow = Task { try await client.send(.POST, gateway.url + "/v1/embeddings", headers: Self.json, body: Data(#"{"input":"slow"}"#.utf8)) }
                    await arrivals.first { _ in true }
                    gateway.signal(SIGTERM)
                    let exit = try await gateway.exitStatus(within: .seconds(5))
                    #expect(exit == 0, "\(gateway.log)")
                    let cut = try? await slow.value
                    #expect(cut == nil || cut?.status != 200)
                }
            }
        }
    }

    // MARK: Helpers

    /// `POST /v1/embeddings`: answers at once, or after `slowFor` when the body says "slow"
    /// (reporting its arrival first).
    static func embeddings(_ router: Router<BasicRequestContext>, slowFor delay: Duration, arrival: AsyncStream<Void>.Continuation) {
        router.post("/v1/embeddings") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 16)
            var answer = #"{"data":["fast"]}"#
            if String(buffer: body).contains("slow") {
                arrival.yield()
                try await Task.sleep(for: delay)
                answer = #"{"data":["slow"]}"#
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: answer)))
        }
    }

    static func yaml(upstream: Int, drainWindow: String, grace: String) -> String {
        """
        version: 1
        gateway:
          voiceLibraryDir: SCRATCH/voices
          drainWindow: \(drainWindow)
          shutdownGracePeriod: \(grace)
        models:
          profilesPath: SCRATCH/model-profiles.json
        backends:
          llama-embed:
            url: http://127.0.0.1:\(upstream)
            type: openai-compatible
        routes:
          /v1/embeddings: llama-embed
        """
    }

    /// One request on a connection of its own (a new client), as a new client of the ingress would.
    static func fresh(_ method: HTTPMethod, _ url: String, body: Data? = nil) async throws -> Reply {
        try await Harness.withClient { client in
            try await client.send(method, url, headers: body == nil ? [] : json, body: body, timeout: .seconds(5))
        }
    }

    /// Polls (bounded) until a new connection is refused.
    static func waitUntilRefused(_ url: String) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            do { _ = try await fresh(.GET, url) } catch { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the listener still accepts connections 5 s after SIGTERM with no drain window")
    }
}
