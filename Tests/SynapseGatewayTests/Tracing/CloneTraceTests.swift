import Foundation
import NIOHTTP1
import SynapseCore
import SynapseMockKit
import Testing

@testable import SynapseGateway

/// A cloned TTS request as one trace: the gateway's spans, the clone flow's steps and both
/// Chatterbox calls, with the mock's journal showing each call's parent.
@Suite struct CloneTraceTests {
    @Test func aClonedSynthesisIsOneTraceFromTheRequestToBothChatterboxCalls() async throws {
        try await OTLPReceiver.with { receiver, endpoint in
            try await VoiceKit.withRig(configure: { $0.exportSpans(to: endpoint) }) { rig in
                let id = try await rig.createVoice(files: [("me.wav", VoiceKit.tone(seconds: 6))])
                let trace = "0af7651916cd43dd8448eb211c80319c"
                let body = try JSONSerialization.data(withJSONObject: ["text": "Hello.", "voice_id": id])
                let reply = try await rig.client.send(
                    .POST, rig.base + "/tts/synthesize",
                    headers: [("Content-Type", "application/json"), ("traceparent", "00-\(trace)-b7ad6b7169203331-01")], body: body)
                #expect(reply.status == 200)

                let spans = try await receiver.waitForSpans(6) { $0.traceID == trace }
                let byName = Dictionary(grouping: spans, by: \.name)
                let server = try #require(byName["POST /tts/synthesize"]?.first)
                let lookup = try #require(byName["voice clone: reference"]?.first)
                let upload = try #require(byName["voice clone: upload reference"]?.first)
                let synthesize = try #require(byName["voice clone: synthesize"]?.first)
                let calls = spans.filter { $0.kind == 3 }
                #expect(calls.count == 2)
                #expect(server.parentSpanID == "b7ad6b7169203331")
                #expect(lookup.parentSpanID == server.spanID && synthesize.parentSpanID == server.spanID)
                #expect(upload.parentSpanID == lookup.spanID)
                #expect(upload.string("synapse.voice_id") == id)
                let uploadCall = try #require(calls.first { $0.parentSpanID == upload.spanID })
                let ttsCall = try #require(calls.first { $0.parentSpanID == synthesize.spanID })
                #expect(uploadCall.string("url.full")?.hasSuffix("/upload_reference") == true)
                #expect(ttsCall.string("url.full")?.hasSuffix("/tts") == true)
                // The mock's journal: each call names its attempt span as parent, in the one trace.
                #expect(rig.uploads.first?.header("traceparent") == "00-\(trace)-\(uploadCall.spanID)-01")
                #expect(rig.ttsCalls.first?.header("traceparent") == "00-\(trace)-\(ttsCall.spanID)-01")

                // The second synthesis hits the cache: a reference step with no upload inside.
                _ = try await rig.synthesize(["text": "Again.", "voice_id": id])
                let lookups = try await receiver.waitForSpans(2) { $0.name == "voice clone: reference" }
                #expect(lookups.count == 2)
                #expect(receiver.spans.filter { $0.name == "voice clone: upload reference" }.count == 1)
            }
        }
    }
}
