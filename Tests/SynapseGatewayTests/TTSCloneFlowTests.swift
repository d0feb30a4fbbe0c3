import Foundation
import MockAudio
import MockChatterbox
import NIOHTTP1
import SynapseCore
import SynapseMockKit
import Testing

@testable import SynapseGateway

/// The clone flow against the Chatterbox mock, checked on its request journal.
@Suite struct TTSCloneFlowTests {
    @Test func aCloneSynthesisUploadsTheReferenceUnderAVoicePrefixedNameThenCallsTTS() async throws {
        try await VoiceKit.withRig { rig in
            let reference = VoiceKit.speech(longerThan: 6, voice: "Emily.wav")
            let id = try await rig.createVoice(files: [("me.wav", reference)])
            let reply = try await rig.synthesize(["text": "Hello from my cloned voice.", "voice_id": id, "speed": 1.5, "language": "de"])
            #expect(reply.status == 200)
            #expect(reply.header("content-type") == "audio/wav")
            #expect(reply.header("content-disposition") == "attachment; filename=synapse_tts.wav")
            #expect(rig.calls == ["POST /upload_reference", "POST /tts"])

            let expectedName = "\(id)_\(SHA256.hex(Array(reference)).prefix(12))_ref_001.wav"
            let upload = try #require(rig.uploads.first)
            #expect(upload.formParts.map(\.name) == ["files"])
            #expect(upload.filenames == [expectedName])
            #expect(upload.formParts.first?.contentType == "audio/wav")
            #expect(upload.formParts.first?.size == reference.count)

            let tts = try #require(rig.ttsCalls.first?.json)
            #expect(tts["voice_mode"]?.stringValue == "clone")
            #expect(tts["reference_audio_filename"]?.stringValue == expectedName)
            #expect(tts["text"]?.stringValue == "Hello from my cloned voice.")
            #expect(tts["language"]?.stringValue == "de")
            #expect(tts["speed_factor"]?.doubleValue == 1.5)
            #expect(tts["split_text"] == .bool(true))
            #expect(tts["predefined_voice_id"] == nil)

            // The audio is the mock's speech in a voice cloned from this reference.
            let spoken = try #require(MockSpeech.decode(Array(reply.body)))
            #expect(spoken.text == "Hello from my cloned voice.")
            #expect(spoken.voice == MockSpeech.cloneVoice(referenceName: expectedName, referenceBytes: Array(reference)))
        }
    }

    @Test func theSecondSynthesisWithAVoiceDoesNotUploadAgain() async throws {
        try await VoiceKit.withRig { rig in
            let id = try await rig.createVoice(files: [("me.wav", VoiceKit.tone(seconds: 6))])
            #expect(try await rig.synthesize(["text": "One.", "voice_id": id]).status == 200)
            #expect(try await rig.synthesize(["text": "Two.", "voice_id": id], path: "/tts/stream").status == 200)
            #expect(rig.calls == ["POST /upload_reference", "POST /tts", "POST /tts"])
        }
    }

    @Test func addingReferencesInvalidatesTheCachedUpload() async throws {
        try await VoiceKit.withRig { rig in
            let id = try await rig.createVoice(files: [("a.wav", VoiceKit.tone(seconds: 6))])
            _ = try await rig.synthesize(["text": "Before.", "voice_id": id])
            let form = VoiceKit.voiceForm(name: nil, files: [("b.wav", VoiceKit.tone(seconds: 9))])
            #expect(try await rig.upload("/voices/\(id)/references", form).status == 200)
            #expect(try await rig.synthesize(["text": "After.", "voice_id": id]).status == 200)
            #expect(rig.calls == ["POST /upload_reference", "POST /tts", "POST /upload_reference", "POST /tts"])
            // The longer, newer reference is the one cloned now.
            let second = try #require(rig.uploads.last?.filenames.first)
            #expect(second.hasPrefix("\(id)_") && second.hasSuffix("_ref_002.wav"))
            #expect(rig.ttsCalls.last?.json?["reference_audio_filename"]?.stringValue == second)
        }
    }

    @Test func deletingAVoiceInvalidatesItsCacheAndLaterSynthesesAre404() async throws {
        try await VoiceKit.withRig { rig in
            let id = try await rig.createVoice(files: [("a.wav", VoiceKit.tone(seconds: 6))])
            _ = try await rig.synthesize(["text": "Hi.", "voice_id": id])
            _ = try await rig.client.send(.DELETE, rig.base + "/voices/\(id)")
            let reply = try await rig.synthesize(["text": "Hi.", "voice_id": id])
            #expect(reply.status == 404 && reply.errorCode == "voice_not_found")
            #expect(rig.calls == ["POST /upload_reference", "POST /tts"])
        }
    }

    /// The original's bug: voice A made from `sample.wav` and deleted, voice B made from another
    /// `sample.wav`; B must speak with B's reference, never A's upload.
    @Test func aNewVoiceWithTheSameReferenceFileNameUsesItsOwnAudio() async throws {
        try await VoiceKit.withRig { rig in
            let first = VoiceKit.speech(longerThan: 6, voice: "Emily.wav")
            let second = VoiceKit.speech(longerThan: 6, voice: "Thomas.wav")
            let a = try await rig.createVoice(name: "A", files: [("sample.wav", first)])
            #expect(try await rig.synthesize(["text": "I am A.", "voice_id": a]).status == 200)
            _ = try await rig.client.send(.DELETE, rig.base + "/voices/\(a)")
            let b = try await rig.createVoice(name: "B", files: [("sample.wav", second)])
            let reply = try await rig.synthesize(["text": "I am B.", "voice_id": b])
            #expect(reply.status == 200)
            let spoken = try #require(MockSpeech.decode(Array(reply.body)))
            #expect(spoken.voice.hasSuffix("@Thomas.wav"))
            #expect(MockSpeech.speakerIdentity(of: spoken.voice) == "Thomas.wav")
            #expect(Set(rig.uploads.compactMap(\.filenames.first)).count == 2)
        }
    }

    @Test func aChatterboxThatLostItsUploadsGetsTheReferenceAgainTransparently() async throws {
        try await VoiceKit.withRig { rig in
            let id = try await rig.createVoice(files: [("a.wav", VoiceKit.tone(seconds: 6))])
            #expect(try await rig.synthesize(["text": "Before the restart.", "voice_id": id]).status == 200)
            // A restarted Chatterbox with an emptied reference folder (also clears the journal).
            try await rig.chatterbox.reset()
            let reply = try await rig.synthesize(["text": "After the restart.", "voice_id": id])
            #expect(reply.status == 200)
            #expect(MockSpeech.decode(Array(reply.body))?.text == "After the restart.")
            #expect(rig.calls == ["POST /tts", "POST /upload_reference", "POST /tts"])
            let names = rig.ttsCalls.compactMap { $0.json?["reference_audio_filename"]?.stringValue }
            #expect(names.count == 2 && names[0] == names[1])
        }
    }

    @Test func aReferenceLongerThan30SecondsIsSentAsA30SecondExcerpt() async throws {
        try await VoiceKit.withRig { rig in
            let long = VoiceKit.speech(longerThan: 40, voice: "Gianna.wav")
            let id = try await rig.createVoice(files: [("long.wav", long)])
            let reply = try await rig.synthesize(["text": "From a long sample.", "voice_id": id])
            #expect(reply.status == 200)
            let excerpt = try WAVFile.excerpt(of: Array(long), firstSeconds: 30)
            let header = try WAVHeader.parse(excerpt)
            #expect(header.duration(inFileOfSize: excerpt.count) == 30)
            let upload = try #require(rig.uploads.first)
            #expect(upload.formParts.first?.size == excerpt.count)
            #expect(upload.filenames.first == "\(id)_\(SHA256.hex(excerpt).prefix(12))_ref_001.wav")
            // The stored reference is untouched.
            #expect(FileManager.default.contents(atPath: rig.folder + "/\(id)/references/ref_001.wav") == long)
        }
    }

    @Test func twoSimultaneousFirstSynthesesUploadOnce() async throws {
        try await VoiceKit.withRig { rig in
            let id = try await rig.createVoice(files: [("a.wav", VoiceKit.tone(seconds: 6))])
            // The first upload is held long enough for all four requests to find it in flight.
            try await rig.chatterbox.inject(FaultRule(.latency(fixed: .milliseconds(500)), match: RequestMatch(route: "/upload_reference"), times: 1))
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<4 { group.addTask { try await rig.synthesize(["text": "Number \(index).", "voice_id": id]).status } }
                for try await status in group { #expect(status == 200) }
            }
            #expect(rig.uploads.count == 1)
            #expect(rig.ttsCalls.count == 4)
        }
    }

    @Test func aLegacyVoiceWithOnlyAShortReferenceGetsAClearError() async throws {
        try await VoiceKit.withRig { rig in
            // An old library entry: legacy layout, a 3 s clip the old gateway accepted.
            let id = "0123456789ab"
            try FileManager.default.createDirectory(atPath: rig.folder + "/\(id)", withIntermediateDirectories: true)
            try Data(#"{"voice_id": "\#(id)", "name": "Old", "created_at": "2025-01-02T03:04:05.000006+00:00"}"#.utf8)
                .write(to: URL(fileURLWithPath: rig.folder + "/\(id)/metadata.json"))
            try VoiceKit.tone(seconds: 3).write(to: URL(fileURLWithPath: rig.folder + "/\(id)/reference.wav"))
            let reply = try await rig.synthesize(["text": "Hello.", "voice_id": id])
            #expect(reply.status == 400)
            #expect(reply.text.contains("Chatterbox Turbo cannot clone"))
            #expect(rig.calls.isEmpty)
            // Loading it migrated the legacy file.
            #expect(VoiceKit.entries(in: rig.folder + "/\(id)/references") == ["ref_001.wav"])
        }
    }

    @Test func aFailedReferenceUploadIsA502() async throws {
        try await VoiceKit.withRig { rig in
            let id = try await rig.createVoice(files: [("a.wav", VoiceKit.tone(seconds: 6))])
            try await rig.chatterbox.inject(FaultRule(.status(code: 500, message: "disk full"), match: RequestMatch(route: "/upload_reference")))
            let reply = try await rig.synthesize(["text": "Hello.", "voice_id": id])
            #expect(reply.status == 502 && reply.errorCode == "reference_upload_failed")
            #expect(rig.ttsCalls.isEmpty)
        }
    }
}
