import AsyncHTTPClient
import Foundation
import MockLlama
import NIOCore
import NIOHTTP1
import SynapseCore
import SynapseTestSupport
import Synchronization
import Testing

/// The `router_*` transcripts replayed in capture order against one `LlamaRouterMock`, because
/// they are stateful: load, poll, chat, unload, swap (README "Sequence", conformance.py's order).
/// The mock runs on a virtual clock that the test advances where the capture waited. As in the
/// capture, a `GET /models/sse` listener is opened before the first load and held open throughout;
/// what it received is then compared with `router_models_sse`.
@Suite struct LlamaRouterConformanceTests {
    /// Capture order of the router cases that have transcripts.
    static let sequence = """
        router_health router_models_before_load router_v1_models_before_load router_props
        router_chat_model_not_loaded_autoload_off router_props_model_not_loaded
        router_models_load router_models_while_loading router_v1_models_while_loading router_chat_while_loading
        router_models_after_load router_v1_models_after_load router_health_after_load
        router_chat_nonstream router_chat_stream router_chat_stream_include_usage router_chat_max_tokens_1
        router_chat_unknown_model router_chat_other_model_not_loaded router_chat_missing_model
        router_chat_invalid_messages_missing router_chat_invalid_messages_empty router_chat_malformed_json
        router_chat_stream_unknown_model router_embeddings_on_chat_model router_models_load_already_loaded
        router_models_load_nonexistent router_models_load_missing_field router_models_unload_nonexistent
        router_404_path router_404_post_path router_models_unload router_models_while_unloading
        router_models_after_unload router_models_unload_again router_chat_after_unload
        router_models_load_b router_models_load_a_while_b_loaded_max1 router_models_after_load_a_while_b_loaded
        router_models_final router_chat_nonstream_after_swap router_v1_health
        router_chat_autoload_query_other_model router_models_after_autoload
        """.split(whereSeparator: \.isWhitespace).map(String.init)

    /// Cases before which the capture waited for a load or an unload to finish.
    static let waitsBefore: Set<String> = [
        "router_models_after_load", "router_models_after_unload",
        "router_models_load_a_while_b_loaded_max1", "router_models_after_load_a_while_b_loaded",
    ]

    /// The case before which the capture opened its `/models/sse` listener.
    static let eventStreamOpensBefore = "router_models_load"

    @Test func everyRouterTranscriptIsCoveredBySequence() {
        let files = Transcript.files(in: "llama-server", prefix: "router_").map { $0.deletingPathExtension().lastPathComponent }
        // The /models/sse stream was held open across the whole run; it is not one exchange.
        #expect(Set(files).subtracting(Self.sequence) == ["router_models_sse"])
    }

    @Test func routerAnswersTheCapturedSequenceLikeTheTranscripts() async throws {
        let clock = LlamaTestClock()
        var configuration = LlamaRouterMock.Configuration.transcripts
        configuration.loadTime = .seconds(1)
        configuration.stopTime = .seconds(1)
        configuration.generation = .init(timeToFirstToken: .zero, interTokenDelay: .zero)
        let mock = LlamaRouterMock(configuration: configuration, time: clock.mockTime)
        let events = try Transcript.load(Fixture.url("transcripts/llama-server/router_models_sse.json"))
        let failures = try await withLlamaServer(mock) { base in
            let replayer = TranscriptReplayer(baseURL: base, policy: .llama)
            var failures: [String] = []
            var listener: EventStreamCapture?
            for name in Self.sequence {
                if name == Self.eventStreamOpensBefore { listener = try await EventStreamCapture.open(base + "/models/sse") }
                if Self.waitsBefore.contains(name) { clock.advance(by: .seconds(2)) }
                let differences = try await replayer.replay(fileAt: Fixture.url("transcripts/llama-server/\(name).json"))
                failures += differences.map { "\(name): \($0)" }
            }
            guard let listener else { return failures + ["the /models/sse listener was never opened"] }
            let expected = EventStreamCapture.events(in: events.response.body)
            let live = try await listener.close(afterEvents: expected.count)
            failures += replayer.comparator.differences(recorded: events.response, live: live).map { "router_models_sse: \($0)" }
            // Beyond the framing: the same changes, in the same order, with the same payloads.
            let mask = { (event: String) in event.replacing(/"created":\d+/, with: "\"created\":0") }
            let got = EventStreamCapture.events(in: live.body)
            for (index, pair) in zip(expected, got).enumerated() where mask(pair.0) != mask(pair.1) {
                failures.append("router_models_sse event \(index): expected \(pair.0), got \(pair.1)")
            }
            if got.count != expected.count { failures.append("router_models_sse: expected \(expected.count) events, got \(got.count)") }
            return failures
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func eventStreamReportsAFailedLoadAndStaysQuietWhenNothingChanges() async throws {
        let clock = LlamaTestClock()
        var configuration = LlamaRouterMock.Configuration.transcripts
        configuration.models[1].failsToLoad = true
        let mock = LlamaRouterMock(configuration: configuration, time: clock.mockTime)
        let body = try await withLlamaServer(mock) { base in
            let listener = try await EventStreamCapture.open(base + "/models/sse")
            try await Task.sleep(for: .milliseconds(100))
            #expect(listener.received.isEmpty, "nothing happened, so nothing is sent")
            _ = try await HTTPClient.shared.post(url: base + "/models/load", body: .string(#"{"model":"tiny-chat-b"}"#)).get()
            clock.advance(by: .seconds(3))
            return try await listener.close(afterEvents: 3).body
        }
        #expect(
            EventStreamCapture.events(in: body) == [
                #"data: {"model":"tiny-chat-b","event":"model_status","data":{"status":"loading"}}"#,
                #"data: {"model":"tiny-chat-b","event":"status_change","data":{"status":"loading","progress":{"stages":["text_model"],"current":"text_model","value":0.0}}}"#,
                #"data: {"model":"tiny-chat-b","event":"status_change","data":{"status":"unloaded","exit_code":1}}"#,
            ])
    }
}

/// A `text/event-stream` response read in the background while the test goes on.
final class EventStreamCapture: Sendable {
    private let head: HTTPClientResponse
    private let bytes = Mutex<[UInt8]>([])
    private let reader = Mutex<Task<Void, Never>?>(nil)

    private init(_ response: HTTPClientResponse) {
        head = response
    }

    static func open(_ url: String) async throws -> EventStreamCapture {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(60))
        let capture = EventStreamCapture(response)
        let task = Task {
            do {
                for try await chunk in response.body { capture.bytes.withLock { $0 += chunk.readableBytesView } }
            } catch {}
        }
        capture.reader.withLock { $0 = task }
        return capture
    }

    /// What has arrived so far.
    var received: [UInt8] { bytes.withLock { $0 } }

    /// Waits (up to 10 s) for `count` complete events, then closes the connection.
    func close(afterEvents count: Int) async throws -> TranscriptComparator.LiveResponse {
        let deadline = ContinuousClock.now + .seconds(10)
        while Self.events(in: received).count < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        reader.withLock { $0?.cancel() }
        return .init(status: Int(head.status.code), headers: head.headers.map { ($0.name, $0.value) }, body: received)
    }

    /// The complete events of an SSE body (without their blank-line terminators).
    static func events(in body: [UInt8]) -> [String] {
        let text = String(decoding: body, as: UTF8.self)
        return text.components(separatedBy: "\n\n").dropLast().map { $0 }
    }
}
