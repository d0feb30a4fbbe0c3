import Foundation
import NIOHTTP1
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `SIGHUP` to a real `synapse serve`: it re-reads its file; a broken file is refused, logged,
/// and the running configuration stays.
@Suite struct ReloadProcessTests {
    static func yaml(embed: Int) -> String {
        """
        gateway:
          voiceLibraryDir: SCRATCH/voices
        models:
          profilesPath: SCRATCH/model-profiles.json
        backends:
          llama-embed:
            url: http://127.0.0.1:\(embed)
            type: openai-compatible
        """
    }

    @Test func aHangUpReloadsTheFileAndABrokenFileIsRefused() async throws {
        try await ReloadTests.withNamedUpstream("old") { old in
            try await ReloadTests.withNamedUpstream("new") { new in
                try await ServeProcess.with(configYAML: Self.yaml(embed: old)) { serve in
                    try await Harness.withClient { client in
                        let embed = { try await client.send(.POST, serve.url + "/v1/embeddings", headers: ReloadTests.json, body: ReloadTests.body).text }
                        #expect(try await embed() == #"{"from":"old"}"#)
                        let scratch = (serve.configPath as NSString).deletingLastPathComponent
                        let write = { (yaml: String) in
                            try Data(yaml.replacingOccurrences(of: "SCRATCH", with: scratch).utf8).write(to: URL(fileURLWithPath: serve.configPath))
                        }

                        try write(Self.yaml(embed: new))
                        serve.signal(SIGHUP)
                        let switched = try await Self.eventually { try await embed() == #"{"from":"new"}"# }
                        #expect(switched, "no switch after SIGHUP; log:\n\(serve.log)")
                        // The log is flushed in the background: waited for too.
                        #expect(try await Self.eventually { serve.log.contains("configuration reloaded") })

                        try write("backends:\n  llama-embed:\n    url: nowhere\n")
                        serve.signal(SIGHUP)
                        let refused = try await Self.eventually { serve.log.contains("configuration reload rejected") }
                        #expect(refused, "log:\n\(serve.log)")
                        #expect(serve.log.contains("backends.llama-embed.url"))
                        #expect(serve.isRunning)
                        #expect(try await embed() == #"{"from":"new"}"#)
                    }
                }
            }
        }
    }

    /// Polls `condition` for up to 10 s.
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}
