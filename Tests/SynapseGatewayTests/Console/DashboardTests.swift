import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import SynapseCore
import Testing

@testable import SynapseGateway

/// The dashboard's page and the routes it added: a voice's reference audio, and `synapse dev`'s
/// proxy to the mocks' control API (absent in `synapse serve`).
@Suite struct DashboardTests {
    @Test func thePageIsSelfContainedAndShowsTheFaultPanelOnlyInDev() {
        for html in [DashboardPage.html, DashboardPage.devHTML] {
            // Nothing from another origin: no absolute URLs at all, no external scripts or styles.
            #expect(!html.contains("http://") && !html.contains("https://"))
            #expect(!html.contains("<script src") && !html.contains("<link rel=\"stylesheet\""))
            for id in ["backends", "events", "models", "voices", "chat-form", "embed-form", "tts-form", "stt-form", "audio-form", "faults-panel"] {
                #expect(html.contains("id=\"\(id)\""), "\(id)")
            }
            // Every input, select and textarea has a label.
            for match in html.matches(of: #/<(input|select|textarea) id="([a-z-]+)"/#) {
                let id = String(match.output.2)
                let labelled = html.contains("for=\"\(id)\"") || Self.isInsideLabel(id, html)
                #expect(labelled, "\(id) has a label")
            }
        }
        #expect(DashboardPage.devHTML.contains(#"<body data-dev="true">"#))
        #expect(DashboardPage.html.contains(#"<body data-dev="false">"#))
    }

    /// `<label>Text <input id="x"…` — the control sits inside its label.
    static func isInsideLabel(_ id: String, _ html: String) -> Bool {
        guard let control = html.range(of: "id=\"\(id)\"") else { return false }
        let before = html[..<control.lowerBound]
        guard let open = before.range(of: "<label", options: .backwards) else { return false }
        return !before[open.upperBound...].contains("</label>")
    }

    @Test func aVoicesFirstReferenceIsServedAsAudio() async throws {
        try await VoiceKit.withRig { rig in
            let first = VoiceKit.tone(seconds: 6)
            let id = try await rig.createVoice(files: [("a.wav", first), ("b.wav", VoiceKit.tone(seconds: 7))])
            let audio = try await rig.client.send(.GET, rig.base + "/voices/\(id)/audio")
            #expect(audio.status == 200)
            #expect(audio.header("Content-Type") == "audio/wav")
            #expect(audio.header("Content-Length") == String(first.count))
            #expect(audio.body == first)
            #expect(try await rig.client.send(.GET, rig.base + "/voices/000000000000/audio").errorCode == "voice_not_found")
            #expect(try await rig.client.send(.GET, rig.base + "/voices/..%2F..%2Fetc/audio").status == 404)
            _ = try await rig.client.send(.DELETE, rig.base + "/voices/\(id)")
            #expect(try await rig.client.send(.GET, rig.base + "/voices/\(id)/audio").errorCode == "voice_not_found")
        }
    }

    @Test func devProxiesTheControlAPIAndServeDoesNot() async throws {
        try await Harness.withUpstream({ router in
            router.get("/mocks") { _, _ in
                Response.json(.obj(("mocks", .array([.obj(("name", .string("llama-embed")))]))), status: .ok)
            }
            router.post("/mocks/:name/faults") { request, context in
                let body = try await request.body.collect(upTo: 4096)
                let name = context.parameters.get("name") ?? ""
                return Response.json(.obj(("mock", .string(name)), ("received", .string(String(buffer: body)))), status: .created)
            }
            router.delete("/mocks/:name/faults/:id") { _, _ in Response(status: .noContent) }
            router.get("/mocks/:name/journal") { _, _ in Response.json(.obj(("error", .string("no such mock"))), status: .notFound) }
        }) { controlPort in
            try await Self.withDevGateway(controlURL: "http://127.0.0.1:\(controlPort)") { url in
                try await Harness.withClient { client in
                    let mocks = try await client.send(.GET, url + "/dev/mocks")
                    #expect(mocks.status == 200 && mocks.text == #"{"mocks":[{"name":"llama-embed"}]}"#)
                    let fault = #"{"kind":"refuse"}"#
                    let injected = try await client.send(
                        .POST, url + "/dev/mocks/llama-embed/faults", headers: [("Content-Type", "application/json")], body: Data(fault.utf8))
                    #expect(injected.status == 201)
                    #expect(injected.json?["mock"] as? String == "llama-embed" && injected.json?["received"] as? String == fault)
                    #expect(try await client.send(.DELETE, url + "/dev/mocks/llama-embed/faults/f1").status == 204)
                    // The control API's own answer passes through, status included.
                    #expect(try await client.send(.GET, url + "/dev/mocks/nope/journal").status == 404)
                    // A name that is not a plain name never reaches the control API.
                    #expect(try await client.send(.GET, url + "/dev/mocks/a.b/faults").errorCode == "not_found")
                    let page = try await client.send(.GET, url + "/")
                    #expect(page.text.contains(#"data-dev="true""#))
                }
            }
            // The control API gone: a clear 502, not a hang.
            try await Self.withDevGateway(controlURL: "http://127.0.0.1:\(try await Harness.deadPort())") { url in
                let reply = try await Harness.withClient { client in try await client.send(.GET, url + "/dev/mocks") }
                #expect(reply.status == 502 && reply.errorCode == "mock_control_unavailable")
            }
        }
        // `synapse serve`: no proxy, and the page has no fault panel.
        try await Harness.withGateway(Harness.config(["llama-embed": try await Harness.deadPort()])) { url in
            try await Harness.withClient { client in
                let mocks = try await client.send(.GET, url + "/dev/mocks")
                let inject = try await client.send(.POST, url + "/dev/mocks/llama-embed/faults", body: Data("{}".utf8))
                let page = try await client.send(.GET, url + "/dashboard")
                #expect(mocks.status == 404 && inject.status == 404)
                #expect(page.text.contains(#"data-dev="false""#))
            }
        }
    }

    /// A gateway as `synapse dev` builds it (with the control API's URL), on a free port.
    static func withDevGateway(controlURL: String, _ body: @Sendable (String) async throws -> Void) async throws {
        var config = Harness.config(["llama-embed": try await Harness.deadPort()])
        config.gateway.host = "127.0.0.1"
        config.gateway.port = 0
        let library = FileManager.default.temporaryDirectory.appendingPathComponent("synapse-test-voices-\(UUID().uuidString)")
        config.placeVoiceLibrary(at: library.path)
        defer { try? FileManager.default.removeItem(at: library) }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let gateway = GatewayService(config: config, logger: Harness.quietLogger, mockControlURL: controlURL) { continuation.yield($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await gateway.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            defer { group.cancelAll() }
            try await body("http://127.0.0.1:\(port)")
        }
    }
}
