import Foundation
import NIOCore
import Testing

@testable import SynapseGateway

/// The limits against a real `synapse serve` process, over real sockets, configured from its file:
/// a trickling client, an oversized declared body and an oversized head are each refused while
/// `/healthz` keeps answering.
@Suite struct LimitsProcessTests {
    @Test func aRunningGatewayRefusesSlowOversizedAndOverlongRequestsAndStaysHealthy() async throws {
        let dead = try await Harness.deadPort()
        let yaml = """
            version: 1
            gateway:
              voiceLibraryDir: SCRATCH/voices
              headerReadTimeout: 1s
              bodyIdleTimeout: 1s
              bodyRateGracePeriod: 1s
            models:
              profilesPath: SCRATCH/model-profiles.json
            backends:
              llama-embed: {url: "http://127.0.0.1:\(dead)", type: openai-compatible}
              chatterbox-tts: {url: "http://127.0.0.1:\(dead)"}
            """
        try await ServeProcess.with(configYAML: yaml) { serve in
            let port = serve.port
            try await withTimeout(.seconds(20)) {
                // 1 byte every 300 ms → 408 and closed.
                try await RawHTTPConnection.with(port: port) { connection in
                    try await connection.send(ConnectionLimitTests.embeddingsHead + "[")
                    let trickle = connection.trickle(" ")
                    defer { trickle.cancel() }
                    #expect(try await connection.response()?.status == 408)
                    #expect(try await connection.closed())
                }
                // 100 MB of TTS JSON declared → 413 before any of it is sent.
                try await RawHTTPConnection.with(port: port) { connection in
                    try await connection.send(JSONBodyLimitTests.head("POST", "/tts/synthesize", length: 100_000_000))
                    let response = try await connection.response()
                    #expect(response?.status == 413)
                    #expect(response?.errorCode == "payload_too_large")
                    #expect(try await connection.closed())
                }
                // 150 header fields → 431.
                try await RawHTTPConnection.with(port: port) { connection in
                    let many = (0..<150).map { "X-H\($0): v\r\n" }.joined()
                    try await connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n" + many + "\r\n")
                    #expect(try await connection.response()?.status == 431)
                }
                // Still healthy.
                try await RawHTTPConnection.with(port: port) { connection in
                    try await connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                    #expect(try await connection.response()?.status == 200)
                }
            }
        }
    }
}
