import Foundation
import NIOHTTP1
import SynapseClock
import SynapseCore
import SynapseResilience
import Testing

@testable import SynapseGateway

/// The events each part of the gateway announces on `GET /events`: breaker cycles (on the virtual
/// clock), model loads and unloads, clone-reference uploads, and the configuration at start.
@Suite struct EventKindsTests {
    /// `(from, to, reason)` of the breaker events, in feed order.
    static func transitions(_ feed: EventFeed) -> [String] {
        feed.bufferedEvents.filter { $0.kind == .breaker }.map { event in
            ["from", "to", "reason"].map { key in event.fields.first { $0.0 == key }?.1.stringValue ?? "?" }.joined(separator: " ")
        }
    }

    static func field(_ event: GatewayEvent, _ name: String) -> JSONValue? {
        event.fields.first { $0.0 == name }?.1
    }

    @Test func aBreakerCycleOnTheVirtualClockIsAnnouncedInOrderWithItsReasons() async throws {
        let clock = VirtualClock()
        // Never run: only its breakers and feed are used (its backend clients are shut down at the end).
        let service = GatewayService(config: Harness.config(["llama-embed": 9]), logger: Harness.quietLogger, clock: AnyClock(clock))
        let breaker = try #require(service.breakers[BackendID("llama-embed")!])
        func attempt(_ outcome: Outcome) {
            guard case .allow(let permit) = breaker.admit() else {
                Issue.record("the breaker rejected an attempt")
                return
            }
            _ = permit.record(outcome)
        }
        // Five refused connections open it; nothing is admitted for the 30 s cooldown.
        for _ in 0..<5 { attempt(.connectFailed(.refused)) }
        if case .allow = breaker.admit() { Issue.record("the open breaker admitted a request") }
        clock.advance(by: .seconds(29))
        #expect(Self.transitions(service.events) == ["closed open failure_threshold"])
        // After the cooldown one probe goes; it fails, then (another cooldown) one succeeds.
        clock.advance(by: .seconds(1))
        attempt(.connectFailed(.refused))
        clock.advance(by: .seconds(30))
        attempt(.response(status: 200))
        #expect(
            Self.transitions(service.events) == [
                "closed open failure_threshold", "open halfOpen cooldown_elapsed", "halfOpen open probe_failed",
                "open halfOpen cooldown_elapsed", "halfOpen closed probe_succeeded",
            ])
        let events = service.events.bufferedEvents.filter { $0.kind == .breaker }
        #expect(events.map(\.id) == events.map(\.id).sorted())
        #expect(events.allSatisfy { $0.backend == "llama-embed" })
        await service.pool.shutdown()
    }

    @Test func theFirstChatAnnouncesTheLoadAndAnUnloadNamesItsModel() async throws {
        try await LLMTestKit.withRouter { url, _, gateway in
            try await Harness.withClient { client in
                let chat = try await client.send(
                    .POST, url + "/v1/chat/completions", headers: LLMTestKit.json, body: LLMTestKit.chatBody(model: LLMTestKit.general))
                #expect(chat.status == 200)
                let unload = try await client.send(
                    .POST, url + "/models/unload", headers: LLMTestKit.json, body: Data(#"{"model":"\#(LLMTestKit.general)"}"#.utf8))
                #expect(unload.status == 200, "\(unload.text)")
            }
            let models = gateway.events.bufferedEvents.filter { $0.kind == .model }
            #expect(models.map { Self.field($0, "action")?.stringValue } == ["loading", "loaded", "unloaded"])
            #expect(models.allSatisfy { Self.field($0, "model")?.stringValue == LLMTestKit.general && $0.backend == "llama-router" })
            #expect(Self.field(models[0], "status")?.intValue == 200)
            #expect((Self.field(models[1], "duration_ms")?.doubleValue ?? -1) >= 0)
        }
    }

    @Test func aLoadTheRouterRefusesIsAnnouncedAsFailed() async throws {
        try await LLMTestKit.withRouter { url, _, gateway in
            try await Harness.withClient { client in
                let reply = try await client.send(
                    .POST, url + "/models/load", headers: LLMTestKit.json, body: Data(#"{"model":"no-such-model"}"#.utf8))
                #expect(reply.status != 200)
            }
            let models = gateway.events.bufferedEvents.filter { $0.kind == .model }
            #expect(models.map { Self.field($0, "action")?.stringValue } == ["failed"])
            #expect(models.first.flatMap { Self.field($0, "model")?.stringValue } == "no-such-model")
        }
    }

    @Test func aCloneUploadsItsReferenceOnceAndTheFeedSaysSo() async throws {
        try await VoiceKit.withRig { rig in
            let voice = try await rig.createVoice(files: [("a.wav", VoiceKit.tone(seconds: 6))])
            for _ in 0..<2 {
                let reply = try await rig.synthesize(["text": "Hello", "voice_id": voice])
                #expect(reply.status == 200)
            }
            // What the feed kept, replayed from the start (Last-Event-ID 0).
            let stream = try await SSEStream.open(rig.client, rig.base + "/events?types=reference,voice", headers: [("Last-Event-ID", "0")])
            let text = try await stream.text(whenContaining: #""action":"uploaded""#)
            stream.close()
            #expect(text.contains(#""type":"voice","ts""#) && text.contains(#""action":"created","voice_id":"\#(voice)""#))
            #expect(text.contains(#""backend":"chatterbox-tts","action":"uploaded","voice_id":"\#(voice)","reference":"#))
            #expect(text.components(separatedBy: "event: reference\n").count == 2, "one upload: the second synthesis hit the cache")
        }
    }

    @Test func theGatewayAnnouncesItsConfigurationWhenItStarts() async throws {
        try await Harness.withGatewayService(Harness.config(["llama-embed": 9, "whisper-stt": 10])) { gateway, _ in
            let first = try #require(gateway.events.bufferedEvents.first)
            #expect(first.kind == .config && first.id == 1)
            #expect(Self.field(first, "action")?.stringValue == "loaded")
            #expect(Self.field(first, "backends")?.intValue == 2)
        }
    }
}
