import AsyncHTTPClient
import Foundation
import MockChatterbox
import NIOHTTP1
import SynapseMockKit
import Testing

/// Two `synapse serve` processes on one voice directory, as two pods on one ReadWriteMany
/// volume: concurrent creates, deletes and clone uploads from both stay consistent, and each
/// names itself in `/health` and `/metrics`.
@Suite struct ReplicaProcessTests {
    static func yaml(voices: String, chatterbox: Int) -> String {
        """
        gateway:
          voiceLibraryDir: \(voices)
        models:
          profilesPath: SCRATCH/model-profiles.json
        backends:
          chatterbox-tts:
            url: http://127.0.0.1:\(chatterbox)
        """
    }

    @Test func twoProcessesOnOneVoiceDirectoryNeverLoseOrCorruptAVoice() async throws {
        try await VoiceKit.withScratchFolder { voices in
            try await withMockServer(ChatterboxMock(configuration: .init(speechChunkDelay: .zero)), logger: Harness.quietLogger) { chatterbox in
                let yaml = Self.yaml(voices: voices, chatterbox: chatterbox.port)
                try await ServeProcess.with(configYAML: yaml, environment: ["SYNAPSE_INSTANCE_ID": "pod-a"]) { a in
                    try await ServeProcess.with(configYAML: yaml, environment: ["SYNAPSE_INSTANCE_ID": "pod-b"]) { b in
                        try await Harness.withClient { client in
                            try await Self.exercise(client: client, replicas: [a.url, b.url], voices: voices, chatterbox: chatterbox)
                        }
                    }
                }
            }
        }
    }

    static func exercise(client: HTTPClient, replicas: [String], voices: String, chatterbox: MockHandle) async throws {
        // Each replica names itself.
        for (url, name) in zip(replicas, ["pod-a", "pod-b"]) {
            #expect(try await client.send(.GET, url + "/health").json?["replica"] as? String == name)
            #expect(try await client.send(.GET, url + "/metrics").text.contains(#"synapse_replica_info{replica="\#(name)"} 1"#))
        }

        // 1. Six voices created on each replica at once.
        let created = try await withThrowingTaskGroup(of: (String, Data).self) { group in
            for index in 0..<12 {
                group.addTask {
                    let reference = VoiceKit.tone(seconds: 6 + Double(index) / 10)
                    let form = VoiceKit.voiceForm(name: "voice \(index)", files: [("ref.wav", reference)])
                    let reply = try await client.send(
                        .POST, replicas[index % 2] + "/voices", headers: [("Content-Type", form.contentType)], body: form.data)
                    guard reply.status == 201, let id = reply.json?["voice_id"] as? String else {
                        throw RigError.unexpected("POST /voices: \(reply.status) \(reply.text)")
                    }
                    return (id, reference)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(created.map(\.0)).count == 12)
        for url in replicas { #expect(try await Self.listed(client, url) == Set(created.map(\.0))) }

        // 2. Four voices deleted by both replicas at the same moment: each exactly once.
        let doomed = Array(created.prefix(4).map(\.0))
        let deletions = try await withThrowingTaskGroup(of: (String, Int).self) { group in
            for id in doomed {
                for url in replicas { group.addTask { (id, try await client.send(.DELETE, url + "/voices/\(id)").status) } }
            }
            return try await group.reduce(into: [String: [Int]]()) { $0[$1.0, default: []].append($1.1) }
        }
        for id in doomed { #expect(deletions[id]?.sorted() == [200, 404], "\(id): \(deletions[id] ?? [])") }

        // 3. Every remaining voice synthesized on both replicas at once: each uploads its clone
        // reference once (its own cache), under the same content-addressed name.
        let kept = created.dropFirst(4)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (id, _) in kept {
                for url in replicas {
                    group.addTask {
                        let body = try JSONSerialization.data(withJSONObject: ["text": "Hello.", "voice_id": id])
                        let reply = try await client.send(.POST, url + "/tts/synthesize", headers: [("Content-Type", "application/json")], body: body)
                        #expect(reply.status == 200, "\(url) \(id): \(reply.text.prefix(300))")
                    }
                }
            }
            try await group.waitForAll()
        }
        let uploads = chatterbox.journal.entries.filter { $0.path == "/upload_reference" }
        for (id, _) in kept {
            let names = uploads.flatMap(\.filenames).filter { $0.hasPrefix(id + "_") }
            #expect((1...2).contains(names.count) && Set(names).count == 1, "\(id): \(names)")
        }

        // 4. Both see the same eight voices, each reference whole and the same from either.
        for url in replicas { #expect(try await Self.listed(client, url) == Set(kept.map(\.0))) }
        for (id, _) in kept {
            let fromA = try await client.send(.GET, replicas[0] + "/voices/\(id)/audio")
            let fromB = try await client.send(.GET, replicas[1] + "/voices/\(id)/audio")
            #expect(fromA.status == 200 && fromA.body == fromB.body && fromA.body.prefix(4) == Data("RIFF".utf8))
        }

        // 5. A voice deleted on one replica is gone for the other, though it cached the upload.
        let (gone, _) = try #require(kept.first)
        #expect(try await client.send(.DELETE, replicas[0] + "/voices/\(gone)").status == 200)
        let body = try JSONSerialization.data(withJSONObject: ["text": "Still there?", "voice_id": gone])
        let late = try await client.send(.POST, replicas[1] + "/tts/synthesize", headers: [("Content-Type", "application/json")], body: body)
        #expect(late.status == 404 && late.errorCode == "voice_not_found")

        // Nothing half-written or half-removed is left behind.
        #expect(VoiceKit.entries(in: voices, prefix: ".").isEmpty, "\(VoiceKit.entries(in: voices, prefix: "."))")
    }

    static func listed(_ client: HTTPClient, _ url: String) async throws -> Set<String> {
        let reply = try await client.send(.GET, url + "/voices")
        let items = (try? JSONSerialization.jsonObject(with: reply.body)) as? [[String: Any]] ?? []
        return Set(items.compactMap { $0["voice_id"] as? String })
    }
}
