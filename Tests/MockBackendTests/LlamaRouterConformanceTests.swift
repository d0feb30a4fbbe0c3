import Foundation
import MockLlama
import SynapseTestSupport
import Testing

/// The `router_*` transcripts replayed in capture order against one `LlamaRouterMock`, because
/// they are stateful: load, poll, chat, unload, swap (README "Sequence", conformance.py's order).
/// The mock runs on a virtual clock that the test advances where the capture waited.
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
        let failures = try await withLlamaServer(mock) { base in
            let replayer = TranscriptReplayer(baseURL: base, policy: .llama)
            var failures: [String] = []
            for name in Self.sequence {
                if Self.waitsBefore.contains(name) { clock.advance(by: .seconds(2)) }
                let differences = try await replayer.replay(fileAt: Fixture.url("transcripts/llama-server/\(name).json"))
                failures += differences.map { "\(name): \($0)" }
            }
            return failures
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
