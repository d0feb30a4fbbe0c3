import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import SynapseCore
import Testing

@testable import SynapseGateway

@Suite struct HealthAndModelsTests {
    @Test func healthIsDegradedWithOneBackendDownAndAnswersWithinTheProbeTimeout() async throws {
        let dead = try await Harness.deadPort()
        try await Harness.withUpstream({ router in
            router.get("/health") { _, _ in "ok" }
            router.get("/slow") { _, _ -> String in
                try await Task.sleep(for: .seconds(30))
                return "late"
            }
        }) { port in
            let config = Harness.config(["llama-embed": port, "whisper-stt": dead, "pyannote-speaker": port]) {
                // Long enough for a healthy probe while the whole suite starts at once on 2 cores
                // (300 ms was not), far below the hanging backend's 30 s.
                $0.gateway.healthProbeTimeout = .seconds(2)
                let index = $0.backends.firstIndex { $0.id.rawValue == "pyannote-speaker" }!
                $0.backends[index].health = "/slow"  // hangs past the probe timeout
                $0.gateway.instanceID = "synapse-gateway-7f9c-a"
            }
            try await Harness.withGateway(config) { gateway in
                try await Harness.withClient { client in
                    let started = ContinuousClock.now
                    let reply = try await client.send(.GET, gateway + "/health")
                    // The hanging backend would hold a probe for 30 s; the answer comes after ~2 s
                    // (bound generous for a loaded 2-core machine).
                    #expect(ContinuousClock.now - started < .seconds(8))
                    #expect(reply.status == 200)
                    let health = try #require(reply.json)
                    #expect(health["status"] as? String == "degraded")
                    let backends = try #require(health["backends"] as? [String: [String: Any]])
                    #expect(backends["llama-embed"]?["status"] as? String == "healthy")
                    #expect(backends["llama-embed"]?["code"] as? Int == 200)
                    #expect(backends["whisper-stt"]?["status"] as? String == "unreachable")
                    #expect(backends["whisper-stt"]?["error"] as? String == "connection refused")
                    #expect(backends["pyannote-speaker"]?["status"] as? String == "unreachable")
                    #expect(backends["llama-embed"]?["latency_ms"] is Double)
                    // Behind a Service, the answer names the replica (pod) it came from; so do the metrics.
                    #expect(health["replica"] as? String == "synapse-gateway-7f9c-a")
                    let metrics = try await client.send(.GET, gateway + "/metrics").text
                    #expect(metrics.contains(#"synapse_replica_info{replica="synapse-gateway-7f9c-a"} 1"#))

                    #expect(try await client.send(.GET, gateway + "/healthz").status == 200)
                    #expect(try await client.send(.GET, gateway + "/readyz").status == 200)
                }
            }
        }
    }

    @Test func modelsAreAggregatedDeduplicatedAndADownBackendIsNamed() async throws {
        let dead = try await Harness.deadPort()
        let list = { @Sendable (ids: [String]) in
            #"{"object":"list","data":["# + ids.map { #"{"id":"\#($0)","object":"model","owned_by":"llamacpp"}"# }.joined(separator: ",") + "]}"
        }
        try await Harness.withUpstream({ router in
            router.get("/v1/models") { _, _ in
                Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: list(["qwen", "coder"]))))
            }
        }) { first in
            try await Harness.withUpstream({ router in
                router.get("/v1/models") { _, _ in
                    Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: list(["embed", "qwen"]))))
                }
            }) { second in
                let config = Harness.config(["llama-router": first, "llama-embed": second, "llama-dead": dead])
                try await Harness.withGateway(config) { gateway in
                    try await Harness.withClient { client in
                        let reply = try await client.send(.GET, gateway + "/v1/models")
                        #expect(reply.status == 200)
                        let body = try #require(reply.json)
                        #expect(body["object"] as? String == "list")
                        let ids = (body["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
                        #expect(Set(ids) == ["qwen", "coder", "embed"])
                        #expect(ids.count == 3)
                        #expect(reply.header("X-Synapse-Unavailable-Backends") == "llama-dead")
                        #expect(reply.text.contains(#"{"id":"coder","object":"model","owned_by":"llamacpp"}"#), "items pass through byte for byte")
                    }
                }
            }
        }
    }
}
