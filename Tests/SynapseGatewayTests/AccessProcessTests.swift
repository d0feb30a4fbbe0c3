import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOHTTP1
import Testing

/// The access rules of a real `synapse serve` process, configured from its file: the API key,
/// the admin token, the admin API off from loopback without one, cross-site refusal.
@Suite struct AccessProcessTests {
    static func yaml(upstream: Int, gateway: String) -> String {
        """
        version: 1
        gateway:
          voiceLibraryDir: SCRATCH/voices
        \(gateway)
        models:
          profilesPath: SCRATCH/model-profiles.json
        backends:
          llama-embed:
            url: http://127.0.0.1:\(upstream)
            type: openai-compatible
        """
    }

    @Test func aServedGatewayWantsItsKeyAndItsAdminToken() async throws {
        try await Harness.withUpstream({ EchoUpstream.register($0, paths: [(.post, "/v1/embeddings")]) }) { upstream in
            let gateway = "  apiKeys: [sk-process]\n  adminToken: adm1n-process"
            try await ServeProcess.with(configYAML: Self.yaml(upstream: upstream, gateway: gateway)) { serve in
                try await Harness.withClient { client in
                    let json = [("Content-Type", "application/json")]
                    let body = Data(#"{"input":"x"}"#.utf8)
                    #expect(try await client.send(.GET, serve.url + "/healthz").status == 200)
                    let refused = try await client.send(.POST, serve.url + "/v1/embeddings", headers: json, body: body)
                    #expect(refused.status == 401)
                    #expect(refused.errorCode == "unauthorized")
                    let served = try await client.send(
                        .POST, serve.url + "/v1/embeddings", headers: json + [("Authorization", "Bearer sk-process")], body: body)
                    #expect(served.status == 200)
                    let forged = try await client.send(
                        .POST, serve.url + "/v1/embeddings",
                        headers: json + [("X-API-Key", "sk-process"), ("Origin", "https://evil.example")], body: body)
                    #expect(forged.status == 403)
                    #expect(try await client.send(.GET, serve.url + "/admin/breakers").status == 401)
                    #expect(try await client.send(.GET, serve.url + "/admin/breakers", headers: [("Authorization", "Bearer adm1n-process")]).status == 200)
                    #expect(!serve.log.contains("sk-process") && !serve.log.contains("adm1n-process"), "secrets never reach the log")
                }
            }
        }
    }

    @Test func withoutATokenTheAdminAPIIsOffEvenFromLoopback() async throws {
        try await Harness.withUpstream({ EchoUpstream.register($0, paths: [(.post, "/v1/embeddings")]) }) { upstream in
            try await ServeProcess.with(configYAML: Self.yaml(upstream: upstream, gateway: "  logLevel: info")) { serve in
                try await Harness.withClient { client in
                    let admin = try await client.send(.POST, serve.url + "/admin/breakers/llama-embed/open")
                    #expect(admin.status == 403)
                    #expect(admin.errorCode == "forbidden")
                }
            }
        }
    }
}
