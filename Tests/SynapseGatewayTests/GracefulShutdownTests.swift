import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import SynapseCore
import Testing

@testable import SynapseGateway

/// On graceful shutdown `/readyz` turns 503 while the gateway still serves (the drain window),
/// then it stops accepting, and a request in flight still completes.
@Suite struct GracefulShutdownTests {
    @Test(.timeLimit(.minutes(1))) func inFlightRequestFinishesAfterShutdownBegins() async throws {
        let gate = StreamingRelayTests.Gate()
        let arrived = StreamingRelayTests.Gate()
        try await Harness.withUpstream({ router in
            router.post("/v1/embeddings") { _, _ -> String in
                arrived.release(0)
                await gate.wait(for: 0)
                return #"{"data":[]}"#
            }
        }) { port in
            var config = Harness.config(["llama-embed": port])
            config.gateway.drainWindow = .milliseconds(500)
            config.gateway.voiceLibraryDir = FileManager.default.temporaryDirectory.appendingPathComponent("synapse-shutdown-\(UUID().uuidString)").path
            try await Harness.withServiceGroup(config) { gatewayPort, group in
                let url = "http://127.0.0.1:\(gatewayPort)"
                try await Harness.withClient { client in
                    let inFlight = Task {
                        try await client.send(.POST, url + "/v1/embeddings", headers: [("Content-Type", "application/json")], body: Data("{}".utf8))
                    }
                    // Bounded, so a request that never reaches the upstream fails here, by its line.
                    try await withTimeout(.seconds(20)) { await arrived.wait(for: 0) }
                    await group.triggerGracefulShutdown()
                    // The drain window: a new connection is still served, and told not to come back.
                    let readyz = try await Harness.withClient { fresh in try await fresh.send(.GET, url + "/readyz", timeout: .seconds(1)) }
                    #expect(readyz.status == 503 && readyz.header("Connection")?.lowercased() == "close")
                    // Wait (bounded) until the listener is closed: new connections are refused.
                    var refused = false
                    for _ in 0..<100 where !refused {
                        do {
                            _ = try await Harness.withClient { fresh in try await fresh.send(.GET, url + "/healthz", timeout: .seconds(1)) }
                            try await Task.sleep(for: .milliseconds(20))
                        } catch {
                            refused = true
                        }
                    }
                    #expect(refused, "no new connections after shutdown began")
                    gate.release(0)
                    let reply = try await inFlight.value
                    #expect(reply.status == 200)
                    #expect(reply.text == #"{"data":[]}"#)
                }
            }
        }
    }
}
