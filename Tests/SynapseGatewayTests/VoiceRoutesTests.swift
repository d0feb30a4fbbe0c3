import AsyncHTTPClient
import Foundation
import NIOHTTP1
import SynapseCore
import Testing

@testable import SynapseGateway

/// The `/voices` routes over HTTP: the original's shapes, the on-disk layout, and every validation error.
@Suite struct VoiceRoutesTests {
    @Test func aVoiceIsCreatedListedFetchedAndDeletedInTheOriginalShapes() async throws {
        try await VoiceKit.withRig { rig in
            let form = VoiceKit.voiceForm(name: "Narrator", files: [("a.wav", VoiceKit.tone(seconds: 6)), ("b.wav", VoiceKit.tone(seconds: 7))])
            let created = try await rig.upload("/voices", form)
            #expect(created.status == 201)
            let id = try #require(created.json?["voice_id"] as? String)
            #expect(created.text == #"{"voice_id":"\#(id)","name":"Narrator","references_count":2,"references":["ref_001.wav","ref_002.wav"]}"#)
            #expect(VoiceID(id) != nil && id.count == 12)

            // On disk: the original layout, metadata with its field names.
            let metadata = try #require(FileManager.default.contents(atPath: rig.folder + "/\(id)/metadata.json"))
            let object = try #require(try JSONSerialization.jsonObject(with: metadata) as? [String: Any])
            #expect(Set(object.keys) == ["voice_id", "name", "created_at", "duration_seconds"])
            #expect(object["duration_seconds"] as? Double == 13)
            #expect(VoiceKit.entries(in: rig.folder + "/\(id)/references") == ["ref_001.wav", "ref_002.wav"])
            #expect(FileManager.default.contents(atPath: rig.folder + "/\(id)/references/ref_002.wav") == VoiceKit.tone(seconds: 7))

            let list = try await rig.client.send(.GET, rig.base + "/voices")
            let createdAt = try #require(object["created_at"] as? String)
            #expect(
                list.text
                    == #"[{"voice_id":"\#(id)","name":"Narrator","created_at":"\#(createdAt)","references_count":2,"references":["ref_001.wav","ref_002.wav"]}]"#
            )
            let one = try await rig.client.send(.GET, rig.base + "/voices/\(id)")
            #expect(one.status == 200 && one.json?["name"] as? String == "Narrator")

            let deleted = try await rig.client.send(.DELETE, rig.base + "/voices/\(id)")
            #expect(deleted.text == #"{"status":"deleted","voice_id":"\#(id)"}"#)
            #expect(try await rig.client.send(.GET, rig.base + "/voices/\(id)").status == 404)
            #expect(try await rig.client.send(.DELETE, rig.base + "/voices/\(id)").errorCode == "voice_not_found")
            #expect(try await rig.client.send(.GET, rig.base + "/voices").text == "[]")
            #expect(VoiceKit.entries(in: rig.folder).isEmpty)
        }
    }

    /// One bad request each; none may leave a voice or a temporary file behind.
    static let invalidUploads: [(label: String, name: String?, files: [(String, Data)], status: Int, needle: String)] = [
        ("no files", "v", [], 400, "1-10"),
        ("eleven files", "v", (1...11).map { ("f\($0).wav", VoiceKit.tone(seconds: 6)) }, 400, "at most 10"),
        ("an MP3 named .wav", "v", [("x.wav", Data("ID3\u{3}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}".utf8) + Data(count: 2000))], 400, "not a WAV"),
        ("text named .wav", "v", [("x.wav", Data(String(repeating: "hello ", count: 100).utf8))], 400, "not a WAV"),
        ("a cut WAV header", "v", [("x.wav", VoiceKit.tone(seconds: 6).prefix(30))], 400, "not a WAV"),
        ("exactly 5 s", "v", [("x.wav", VoiceKit.tone(seconds: 5))], 400, "Chatterbox Turbo cannot clone"),
        ("3 s", "v", [("x.wav", VoiceKit.tone(seconds: 3))], 400, "longer than 5 s"),
        ("one good, one short", "v", [("a.wav", VoiceKit.tone(seconds: 6)), ("b.wav", VoiceKit.tone(seconds: 2))], 400, "'b.wav'"),
        ("no name", nil, [("x.wav", VoiceKit.tone(seconds: 6))], 400, "'name'"),
        ("an empty name", "   ", [("x.wav", VoiceKit.tone(seconds: 6))], 400, "'name'"),
        ("a 101-character name", String(repeating: "n", count: 101), [("x.wav", VoiceKit.tone(seconds: 6))], 400, "1-100 characters"),
    ]

    @Test(arguments: 0..<invalidUploads.count)
    func anInvalidUploadIsRefusedWithAClearMessageAndStoresNothing(_ index: Int) async throws {
        let case_ = Self.invalidUploads[index]
        try await VoiceKit.withRig { rig in
            let reply = try await rig.upload("/voices", VoiceKit.voiceForm(name: case_.name, files: case_.files))
            #expect(reply.status == case_.status, "\(case_.label)")
            let message = ((reply.json?["error"] as? [String: Any])?["message"] as? String) ?? ""
            #expect(message.contains(case_.needle), "\(case_.label): \(message)")
            #expect(VoiceKit.entries(in: rig.folder).isEmpty, "\(case_.label) left \(VoiceKit.entries(in: rig.folder))")
        }
    }

    @Test func aReferenceOverFiftyMebibytesIsA413AndNothingIsStored() async throws {
        try await VoiceKit.withRig { rig in
            // A valid WAV header declaring 50 MiB of silence, one byte more than the limit allows.
            var big = Data(WAVFile.headerBytes(sampleRate: 16_000, dataSize: 50 * 1024 * 1024 - 43))
            big.append(Data(count: 50 * 1024 * 1024 + 1 - big.count))
            let reply = try await rig.upload("/voices", VoiceKit.voiceForm(name: "big", files: [("big.wav", big)]))
            #expect(reply.status == 413 && reply.errorCode == "file_too_large")
            #expect(VoiceKit.entries(in: rig.folder).isEmpty)
        }
    }

    @Test func aBodyThatIsNotMultipartIsRefused() async throws {
        try await VoiceKit.withRig { rig in
            let reply = try await rig.send(.POST, "/voices", json: ["name": "v"])
            #expect(reply.status == 400 && reply.errorCode == "invalid_voice_input")
        }
    }

    @Test(arguments: ["%2e%2e", "..%2F..%2Fetc", "ABCDEF", "abc.def", "x", String(repeating: "a", count: 65)])
    func anIdThatIsNotPlainIsAnUnknownVoice(_ id: String) async throws {
        try await VoiceKit.withRig { rig in
            let fetched = try await rig.client.send(.GET, rig.base + "/voices/\(id)")
            let deleted = try await rig.client.send(.DELETE, rig.base + "/voices/\(id)")
            let form = VoiceKit.voiceForm(name: nil, files: [("x.wav", VoiceKit.tone(seconds: 6))])
            let added = try await rig.upload("/voices/\(id)/references", form)
            #expect(fetched.errorCode == "voice_not_found")
            #expect(deleted.status == 404 && added.status == 404)
        }
    }

    @Test func addedReferencesTakeTheNextNumbersAndAnUnknownVoiceIs404() async throws {
        try await VoiceKit.withRig { rig in
            let id = try await rig.createVoice(files: [("a.wav", VoiceKit.tone(seconds: 6))])
            let form = VoiceKit.voiceForm(name: nil, files: [("b.wav", VoiceKit.tone(seconds: 6)), ("c.wav", VoiceKit.tone(seconds: 8))])
            let added = try await rig.upload("/voices/\(id)/references", form)
            #expect(added.status == 200)
            #expect(added.json?["references"] as? [String] == ["ref_001.wav", "ref_002.wav", "ref_003.wav"])
            #expect(added.json?["references_count"] as? Int == 3)
            let short = try await rig.upload("/voices/\(id)/references", VoiceKit.voiceForm(name: nil, files: [("d.wav", VoiceKit.tone(seconds: 4))]))
            #expect(short.status == 400)
            #expect(VoiceKit.entries(in: rig.folder + "/\(id)/references").count == 3)
            let missing = try await rig.upload("/voices/0123456789ab/references", form)
            #expect(missing.errorCode == "voice_not_found")
        }
    }

    @Test func concurrentAdditionsToOneVoiceNeverShareANumber() async throws {
        try await VoiceKit.withRig { rig in
            let id = try await rig.createVoice(files: [("a.wav", VoiceKit.tone(seconds: 6))])
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        let file = VoiceKit.tone(seconds: 6.1 + Double(index) / 10)
                        return try await rig.upload("/voices/\(id)/references", VoiceKit.voiceForm(name: nil, files: [("x.wav", file)])).status
                    }
                }
                for try await status in group { #expect(status == 200) }
            }
            let references = VoiceKit.entries(in: rig.folder + "/\(id)/references")
            #expect(references == (1...7).map { String(format: "ref_%03d.wav", $0) })
            // Seven different files: no addition overwrote another.
            let sizes = Set(references.compactMap { FileManager.default.contents(atPath: rig.folder + "/\(id)/references/" + $0)?.count })
            #expect(sizes.count == 7)
        }
    }
}
