import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import SynapseCore
import SynapseResilience
import Synchronization
import Testing

@testable import SynapseGateway

/// `POST /admin/reload` on a gateway whose "file" the test rewrites: new settings for new
/// requests, in-flight ones finishing on the old, breakers of unchanged backends kept, and an
/// invalid file refused with its errors while the old configuration stays.
@Suite struct ReloadTests {
    static let admin = [("Authorization", "Bearer t0ken")]
    static let json = [("Content-Type", "application/json")]
    static let body = Data(#"{"input":"hi","model":"m"}"#.utf8)

    /// The configuration file the gateway re-reads, held in memory; read through `ConfigLoader`,
    /// the validator `synapse config check` and start-up use.
    final class ConfigFile: Sendable {
        let yaml: Mutex<String>
        let voices: String

        init(_ yaml: String) {
            self.yaml = Mutex(yaml)
            voices = FileManager.default.temporaryDirectory.appendingPathComponent("synapse-reload-\(UUID().uuidString)").path
        }

        func write(_ text: String) { yaml.withLock { $0 = text } }

        func load() -> ConfigLoader.Outcome {
            var outcome = ConfigLoader(environment: [:]).load(yaml: yaml.withLock { $0 })
            if var config = outcome.config {
                // What the harness sets, so that only the file's own changes differ.
                config.gateway.host = "127.0.0.1"
                config.gateway.port = 0
                config.placeVoiceLibrary(at: voices)
                outcome.config = config
            }
            return outcome
        }

        var source: ConfigSource { ConfigSource { self.load() } }
    }

    static func yaml(embed: Int, whisper: Int, embedTotal: String = "30s", extra: String = "") -> String {
        """
        gateway:
          adminToken: t0ken
        \(extra)
        backends:
          llama-embed:
            url: http://127.0.0.1:\(embed)
            type: openai-compatible
            timeouts: {total: \(embedTotal)}
          whisper-stt:
            url: http://127.0.0.1:\(whisper)
        """
    }

    /// An upstream that names itself in its answers, and streams slowly on `/v1/embeddings?slow`.
    static func withNamedUpstream<T: Sendable>(_ name: String, _ body: @Sendable (Int) async throws -> T) async throws -> T {
        try await Harness.withUpstream(
            { router in
                router.post("/v1/embeddings") { request, _ -> Response in
                    guard request.uri.query == "slow" else {
                        return Response(
                            status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"from":"\#(name)"}"#)))
                    }
                    return Response(
                        status: .ok, headers: [.contentType: "text/event-stream"],
                        body: .init { writer in
                            for index in 0..<5 {
                                try await writer.write(ByteBuffer(string: "data: \(name) \(index)\n\n"))
                                try await Task.sleep(for: .milliseconds(200))
                            }
                            try await writer.finish(nil)
                        })
                }
            }, body)
    }

    @Test func newRequestsUseTheNewBackendWhileAStreamInFlightFinishesOnTheOld() async throws {
        try await Self.withNamedUpstream("old") { old in
            try await Self.withNamedUpstream("new") { new in
                let dead = try await Harness.deadPort()
                let file = ConfigFile(Self.yaml(embed: old, whisper: dead))
                let config = try #require(file.load().config)
                try await Harness.withGatewayService(config, reloadSource: file.source) { service, url in
                    try await Harness.withClient { client in
                        #expect(try await client.send(.POST, url + "/v1/embeddings", headers: Self.json, body: Self.body).text == #"{"from":"old"}"#)
                        // A stream starts on the old backend and runs for about a second.
                        async let stream = client.send(.POST, url + "/v1/embeddings?slow", headers: Self.json, body: Self.body)
                        try await Task.sleep(for: .milliseconds(300))

                        file.write(Self.yaml(embed: new, whisper: dead))
                        let reload = try await client.send(.POST, url + "/admin/reload", headers: Self.admin)
                        #expect(reload.status == 200)
                        let answer = try #require(reload.json)
                        #expect(answer["status"] as? String == "reloaded" && answer["generation"] as? Int == 2)
                        #expect(answer["backends_changed"] as? [String] == ["llama-embed"])
                        #expect(answer["backends_unchanged"] as? [String] == ["whisper-stt"])
                        #expect(service.config.backend(BackendID("llama-embed")!)?.url.port == new)

                        #expect(try await client.send(.POST, url + "/v1/embeddings", headers: Self.json, body: Self.body).text == #"{"from":"new"}"#)
                        let streamed = try await stream
                        #expect(streamed.status == 200)
                        #expect(streamed.text == (0..<5).map { "data: old \($0)\n\n" }.joined())
                    }
                }
            }
        }
    }

    @Test func anUnchangedBackendsBreakerKeepsItsStateAndAChangedOneStartsClosed() async throws {
        try await Self.withNamedUpstream("a") { port in
            let dead = try await Harness.deadPort()
            let file = ConfigFile(Self.yaml(embed: port, whisper: dead))
            let config = try #require(file.load().config)
            try await Harness.withGatewayService(config, reloadSource: file.source) { service, url in
                try await Harness.withClient { client in
                    for backend in ["llama-embed", "whisper-stt"] {
                        let reply1 = try await client.send(.POST, url + "/admin/breakers/\(backend)/open", headers: Self.admin)
                        #expect(reply1.status == 200)
                    }
                    // Only llama-embed's total deadline changes.
                    file.write(Self.yaml(embed: port, whisper: dead, embedTotal: "20s"))
                    let reply2 = try await client.send(.POST, url + "/admin/reload", headers: Self.admin)
                    #expect(reply2.status == 200)
                    #expect(service.breakers[BackendID("whisper-stt")!]?.state == .open)
                    #expect(service.breakers[BackendID("llama-embed")!]?.state == .closed)
                    let reply3 = try await client.send(.POST, url + "/v1/embeddings", headers: Self.json, body: Self.body)
                    #expect(reply3.status == 200)
                }
            }
        }
    }

    @Test func anInvalidFileIsRefusedWithItsErrorsAndTheRunningConfigurationStays() async throws {
        try await Self.withNamedUpstream("old") { port in
            let dead = try await Harness.deadPort()
            let file = ConfigFile(Self.yaml(embed: port, whisper: dead))
            let config = try #require(file.load().config)
            try await Harness.withGatewayService(config, reloadSource: file.source) { service, url in
                try await Harness.withClient { client in
                    file.write(
                        """
                        gateway:
                          colour: blue
                        backends:
                          llama-embed:
                            url: not a url
                        """)
                    let refused = try await client.send(.POST, url + "/admin/reload", headers: Self.admin)
                    #expect(refused.status == 422)
                    let error = try #require(refused.json?["error"] as? [String: Any])
                    #expect(error["code"] as? String == "config_invalid")
                    let errors = try #require(error["errors"] as? [String])
                    #expect(errors.count == 2)
                    #expect(errors.contains { $0.contains("backends.llama-embed.url") })
                    #expect(errors.contains { $0.contains("gateway.colour") })
                    // Still the old configuration, generation 1.
                    #expect(service.generation.number == 1)
                    #expect(try await client.send(.POST, url + "/v1/embeddings", headers: Self.json, body: Self.body).text == #"{"from":"old"}"#)
                    // The event feed says so too.
                    let configEvents = service.events.bufferedEvents.filter { $0.kind == .config }
                    #expect(configEvents.contains { event in event.fields.contains { $0.0 == "action" && $0.1 == .string("rejected") } })
                    // Without the admin token, no reload at all.
                    let reply4 = try await client.send(.POST, url + "/admin/reload")
                    #expect(reply4.status == 401)
                }
            }
        }
    }

    @Test func reloadsUnderTrafficLoseNoRequest() async throws {
        try await Self.withNamedUpstream("a") { a in
            try await Self.withNamedUpstream("b") { b in
                let dead = try await Harness.deadPort()
                let file = ConfigFile(Self.yaml(embed: a, whisper: dead))
                let config = try #require(file.load().config)
                try await Harness.withGatewayService(config, reloadSource: file.source) { service, url in
                    try await Harness.withClient { client in
                        let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
                            for _ in 0..<4 {
                                group.addTask {
                                    var statuses: [Int] = []
                                    for _ in 0..<60 {
                                        statuses.append(try await client.send(.POST, url + "/v1/embeddings", headers: Self.json, body: Self.body).status)
                                    }
                                    return statuses
                                }
                            }
                            group.addTask {
                                for round in 0..<10 {
                                    file.write(Self.yaml(embed: round.isMultiple(of: 2) ? b : a, whisper: dead))
                                    let reply5 = try await client.send(.POST, url + "/admin/reload", headers: Self.admin)
                                    #expect(reply5.status == 200)
                                    try await Task.sleep(for: .milliseconds(20))
                                }
                                return []
                            }
                            return try await group.reduce(into: []) { $0 += $1 }
                        }
                        #expect(statuses.count == 240)
                        #expect(statuses.allSatisfy { $0 == 200 })
                        #expect(service.generation.number == 11)
                    }
                }
            }
        }
    }

    @Test func withoutAFileToReadThereIsNoReloadRoute() async throws {
        let config = Harness.config(["llama-embed": try await Harness.deadPort()]) { $0.gateway.adminToken = "t0ken" }
        try await Harness.withGateway(config) { url in
            try await Harness.withClient { client in
                let reply6 = try await client.send(.POST, url + "/admin/reload", headers: Self.admin)
                #expect(reply6.status == 404)
            }
        }
    }
}
