import Foundation
import HTTPTypes
import NIOCore
import SynapseCore
import Synchronization
import Testing

@testable import SynapseGateway

/// The library on disk: crash safety, start-up sweep, legacy migration, ordering, streaming limits.
@Suite struct VoiceLibraryTests {
    /// A kill -9 mid-upload, simulated exactly: the upload is frozen with part of a file already
    /// on disk (nothing else can change the disk while it is frozen, so this is the state a killed
    /// process leaves), then a new library instance starts on the same folder.
    @Test func anUploadKilledMidBodyLeavesNoVoiceAndTheNextStartRemovesItsFiles() async throws {
        try await VoiceKit.withScratchFolder { folder in
            let library = VoiceLibrary(root: folder)
            try library.prepare()
            let kept = try await Self.createVoice(in: library, name: "acknowledged", file: VoiceKit.tone(seconds: 6))

            let form = VoiceKit.voiceForm(name: "doomed", files: [("big.wav", VoiceKit.tone(seconds: 10))])
            let body = GatedBody(form.data, chunkSize: 32 * 1024, pauseAfter: 9)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    await #expect(throws: CancellationError.self) {
                        _ = try await VoiceUpload.receive(body, contentType: form.contentType, library: library, limits: .init())
                    }
                }
                await body.waitUntilPaused()

                // Frozen mid-file: the first 256 KiB are already on disk, in a staging folder only.
                let staging = VoiceKit.entries(in: folder, prefix: ".tmp-")
                #expect(staging.count == 1)
                let staged = try DurableStorage.size(of: folder + "/" + staging[0] + "/references/ref_001.wav")
                #expect(staged >= ReferenceReceiver.writeBatch)
                #expect(library.voices().map(\.voiceID) == [kept.voiceID])

                // The restarted gateway sweeps the leftovers and still has the acknowledged voice.
                let restarted = VoiceLibrary(root: folder)
                #expect(try restarted.prepare() == 1)
                #expect(VoiceKit.entries(in: folder, prefix: ".").isEmpty)
                #expect(restarted.voices() == [kept])

                body.release()
                try await group.waitForAll()
            }
            #expect(VoiceKit.entries(in: folder) == [kept.voiceID.rawValue])
        }
    }

    /// Its own leftovers (another process's: `VoiceLibrarySharingTests`).
    @Test func startUpRemovesStagingAndTrashLeftovers() async throws {
        try await VoiceKit.withScratchFolder { folder in
            let library = VoiceLibrary(root: folder)
            for name in [".tmp-\(library.instance)-1/references", ".trash-\(library.instance)-2/references"] {
                try FileManager.default.createDirectory(atPath: folder + "/" + name, withIntermediateDirectories: true)
                try Data([1, 2, 3]).write(to: URL(fileURLWithPath: folder + "/" + name + "/ref_001.wav"))
            }
            #expect(try library.prepare() == 2)
            #expect(VoiceKit.entries(in: folder).isEmpty)
        }
    }

    @Test func aLegacyVoiceIsMigratedAndAnInterruptedMigrationIsFinished() async throws {
        try await VoiceKit.withScratchFolder { folder in
            let audio = VoiceKit.tone(seconds: 6)
            for id in ["aaaaaaaa-0000-4000-8000-000000000001", "aaaaaaaa-0000-4000-8000-000000000002"] {
                try FileManager.default.createDirectory(atPath: folder + "/" + id, withIntermediateDirectories: true)
                try Data(#"{"voice_id": "\#(id)", "name": "Old", "created_at": "2025-01-02T03:04:05.123456+00:00", "duration_seconds": 6.0}"#.utf8)
                    .write(to: URL(fileURLWithPath: folder + "/\(id)/metadata.json"))
                try audio.write(to: URL(fileURLWithPath: folder + "/\(id)/reference.wav"))
            }
            // The second was interrupted after linking the new name, before unlinking the old one.
            let second = folder + "/aaaaaaaa-0000-4000-8000-000000000002"
            try FileManager.default.createDirectory(atPath: second + "/references", withIntermediateDirectories: true)
            try FileManager.default.linkItem(atPath: second + "/reference.wav", toPath: second + "/references/ref_001.wav")

            let library = VoiceLibrary(root: folder)
            try library.prepare()
            for voice in library.voices() {
                #expect(voice.references == ["ref_001.wav"])
                #expect(voice.createdAt == "2025-01-02T03:04:05.123456+00:00")
                let path = folder + "/\(voice.voiceID)"
                #expect(!FileManager.default.fileExists(atPath: path + "/reference.wav"))
                #expect(FileManager.default.contents(atPath: path + "/references/ref_001.wav") == audio)
            }
            #expect(library.voices().count == 2)
        }
    }

    @Test func voicesAreListedOldestFirstByTheirCreationTime() async throws {
        try await VoiceKit.withScratchFolder { folder in
            // The clock runs backwards, so creation order, id order and age order all differ.
            let tick = Mutex(0.0)
            let library = VoiceLibrary(root: folder) {
                Date(
                    timeIntervalSince1970: 1_800_000_000
                        - tick.withLock { value in
                            value += 60
                            return value
                        })
            }
            var created: [VoiceRecord] = []
            for name in ["first", "second", "third"] {
                created.append(try await Self.createVoice(in: library, name: name, file: VoiceKit.tone(seconds: 6)))
            }
            #expect(library.voices().map(\.name) == ["third", "second", "first"])
            #expect(created[0].createdAt == "2027-01-15T07:59:00.000000+00:00")
        }
    }

    @Test func aFileOverTheSizeLimitIsA413AndNothingStays() async throws {
        try await VoiceKit.withScratchFolder { folder in
            let library = VoiceLibrary(root: folder)
            try library.prepare()
            var limits = VoiceUpload.Limits()
            limits.maximumFileSize = 100_000
            let form = VoiceKit.voiceForm(name: "big", files: [("big.wav", VoiceKit.tone(seconds: 6))])
            let error = await #expect(throws: GatewayError.self) {
                _ = try await VoiceUpload.receive(
                    GatedBody(form.data, chunkSize: 8192, pauseAfter: nil), contentType: form.contentType, library: library, limits: limits)
            }
            #expect(error?.status == .contentTooLarge && error?.code == "file_too_large")
            #expect(VoiceKit.entries(in: folder).isEmpty)
        }
    }

    /// Receives a one-file upload and publishes it, as `POST /voices` does.
    static func createVoice(in library: VoiceLibrary, name: String, file: Data) async throws -> VoiceRecord {
        let form = VoiceKit.voiceForm(name: name, files: [("f.wav", file)])
        let upload = try await VoiceUpload.receive(
            GatedBody(form.data, chunkSize: 64 * 1024, pauseAfter: nil), contentType: form.contentType,
            library: library, limits: .init())
        return try library.publish(staging: upload.staging, name: name, totalDuration: upload.references[0].duration)
    }
}

/// A request body handed out in chunks that can freeze after `pauseAfter` chunks: it then reports
/// the pause and waits for `release()`, after which it fails as a dropped connection would.
final class GatedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let chunks: [ByteBuffer]
    let pauseAfter: Int?
    private let paused = AsyncStream<Void>.makeStream()
    private let released = AsyncStream<Void>.makeStream()

    init(_ data: Data, chunkSize: Int, pauseAfter: Int?) {
        self.chunks = stride(from: 0, to: data.count, by: chunkSize).map { ByteBuffer(bytes: data[$0..<Swift.min(data.count, $0 + chunkSize)]) }
        self.pauseAfter = pauseAfter
    }

    func waitUntilPaused() async {
        for await _ in paused.stream { return }
    }

    func release() { released.continuation.finish() }

    struct AsyncIterator: AsyncIteratorProtocol {
        let body: GatedBody
        var index = 0

        mutating func next() async throws -> ByteBuffer? {
            if index == body.pauseAfter {
                body.paused.continuation.yield()
                for await _ in body.released.stream {}
                throw CancellationError()
            }
            guard index < body.chunks.count else { return nil }
            index += 1
            return body.chunks[index - 1]
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(body: self) }
}
