import Foundation
import Synchronization
import Testing

@testable import SynapseGateway

/// Two gateway processes on one voice volume, played by two `VoiceLibrary` instances with
/// different process tokens on one folder.
@Suite struct VoiceLibrarySharingTests {
    static let tokenA = "pod-a.1"
    static let tokenB = "pod-b.1"

    @Test func aStartUpSweepLeavesAnotherProcesssFreshUploadAndRemovesOnlyItsOwnOrStaleLeftovers() async throws {
        try await VoiceKit.withScratchFolder { folder in
            let a = VoiceLibrary(root: folder, instance: Self.tokenA)
            let b = VoiceLibrary(root: folder, instance: Self.tokenB)
            try a.prepare()
            // A is receiving an upload right now.
            let uploading = try a.makeStaging()
            try VoiceKit.tone(seconds: 6).write(to: URL(fileURLWithPath: uploading + "/references/ref_001.wav"))
            // Another replica's deletion in progress, fresh; B's own upload from before a restart, fresh.
            let foreignTrash = try Self.makeLeftover(in: folder, named: VoiceLibrary.trashPrefix + "pod-c.1-1")
            let ownLeftover = try b.makeStaging()
            // Leftovers untouched for over an hour: another replica's, and one from before tokens existed.
            let staleForeign = try Self.makeLeftover(in: folder, named: VoiceLibrary.stagingPrefix + "pod-c.1-2", age: 3700)
            let staleUntokened = try Self.makeLeftover(in: folder, named: VoiceLibrary.stagingPrefix + UUID().uuidString.lowercased(), age: 3700)

            #expect(try b.prepare() == 3)
            #expect(FileManager.default.fileExists(atPath: uploading + "/references/ref_001.wav"))
            #expect(FileManager.default.fileExists(atPath: foreignTrash))
            for gone in [ownLeftover, staleForeign, staleUntokened] { #expect(!FileManager.default.fileExists(atPath: gone)) }

            // A's upload completes as if nothing had happened, and both see the voice.
            let voice = try a.publish(staging: uploading, name: "survivor", totalDuration: 6)
            #expect(b.voices() == [voice])
            // A restart of A itself (same token) sweeps A's own leftovers at once.
            let crashed = try a.makeStaging()
            #expect(try VoiceLibrary(root: folder, instance: Self.tokenA).prepare() == 1)
            #expect(!FileManager.default.fileExists(atPath: crashed))
        }
    }

    @Test func theTokenNamesTheInstanceAndProcessAndNoTokenPrefixesAnother() {
        let token = VoiceLibrary.processToken(instanceID: "synapse-gateway-7f9/../x y")
        #expect(token == "synapse-gateway-7f9____x_y.\(getpid())")
        let a = VoiceLibrary(root: "/nonexistent", instance: "pod.1")
        #expect(a.isOwn(a.temporaryName(VoiceLibrary.stagingPrefix)))
        #expect(a.isOwn(a.temporaryName(VoiceLibrary.trashPrefix)))
        #expect(!a.isOwn(VoiceLibrary(root: "/nonexistent", instance: "pod.12").temporaryName(VoiceLibrary.stagingPrefix)))
        #expect(!a.isOwn(VoiceLibrary.stagingPrefix + UUID().uuidString.lowercased()))
    }

    @Test func aVoiceFolderWithoutValidMetadataIsNeverListedAndRemovedOnlyOnceStale() async throws {
        try await VoiceKit.withScratchFolder { folder in
            let library = VoiceLibrary(root: folder, instance: Self.tokenA)
            let fresh = try Self.makeLeftover(in: folder, named: "aaaaaaaaaaa1")
            let stale = try Self.makeLeftover(in: folder, named: "aaaaaaaaaaa2", age: 3700)
            let broken = try Self.makeLeftover(in: folder, named: "aaaaaaaaaaa3", age: 3700)
            try Data("{not json".utf8).write(to: URL(fileURLWithPath: broken + "/metadata.json"))
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3700)], ofItemAtPath: broken + "/metadata.json")
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3700)], ofItemAtPath: broken)
            #expect(library.voices().isEmpty)
            #expect(library.voice(VoiceID("aaaaaaaaaaa1")!) == nil)
            #expect(try library.prepare() == 2)
            #expect(VoiceKit.entries(in: folder) == [URL(fileURLWithPath: fresh).lastPathComponent])
            #expect(!FileManager.default.fileExists(atPath: stale))
        }
    }

    /// Both processes delete the same voice at the same instant, many times over: exactly one
    /// deletion reports it, neither fails, and nothing is left behind.
    @Test func concurrentDeletesOfOneVoiceFromTwoProcessesDeleteItExactlyOnce() async throws {
        try await VoiceKit.withScratchFolder { folder in
            let a = VoiceLibrary(root: folder, instance: Self.tokenA)
            let b = VoiceLibrary(root: folder, instance: Self.tokenB)
            let id = VoiceID("0123456789ab")!
            for _ in 0..<150 {
                _ = try Self.publish(in: a, as: id, name: "shared")
                let results = Self.race([{ try a.delete(id) }, { try b.delete(id) }])
                #expect(results.compactMap { try? $0.get() }.sorted { !$0 && $1 } == [false, true], "\(results)")
                #expect(VoiceKit.entries(in: folder).isEmpty)
            }
        }
    }

    /// One process publishes a voice id while the other deletes it, and both publish one id at
    /// once, while readers list the library: each round ends with the voice whole or absent,
    /// and no listing ever shows a voice without its references.
    @Test func concurrentCreateAndDeleteOfOneIdEndConsistentAndListingsNeverShowABrokenVoice() async throws {
        try await VoiceKit.withScratchFolder { folder in
            let a = VoiceLibrary(root: folder, instance: Self.tokenA)
            let b = VoiceLibrary(root: folder, instance: Self.tokenB)
            let id = VoiceID("0123456789ab")!
            let broken = Mutex<[VoiceRecord]>([])
            let readers: [@Sendable () throws -> Bool] = [a, b].map { library in
                {
                    for _ in 0..<10 {
                        for voice in library.voices() where voice.references != ["ref_001.wav"] { broken.withLock { $0.append(voice) } }
                    }
                    return true
                }
            }
            for round in 0..<150 {
                let (creator, deleter) = round.isMultiple(of: 2) ? (a, b) : (b, a)
                let staging = try Self.stage(in: creator)
                let results = Self.race(
                    [
                        {
                            _ = try creator.publish(staging: staging, name: "r\(round)", totalDuration: 6, as: id)
                            return true
                        },
                        { try deleter.delete(id) },
                    ] + readers)
                let published = (try? results[0].get()) == true
                let deleted = try results[1].get()
                #expect(published, "\(results[0])")
                let present = a.voice(id)
                if deleted {
                    #expect(present == nil)
                    #expect(!FileManager.default.fileExists(atPath: folder + "/" + id.rawValue))
                } else {
                    #expect(present?.name == "r\(round)" && present?.references == ["ref_001.wav"])
                    #expect(try a.delete(id))
                }
                #expect(VoiceKit.entries(in: folder).isEmpty)
            }
            // Both publish one id at once: exactly one wins, the other is refused, the voice is the winner's.
            for round in 0..<50 {
                let stagings = try [Self.stage(in: a), Self.stage(in: b)]
                let results = Self.race(
                    [
                        {
                            _ = try a.publish(staging: stagings[0], name: "a\(round)", totalDuration: 6, as: id)
                            return true
                        },
                        {
                            _ = try b.publish(staging: stagings[1], name: "b\(round)", totalDuration: 6, as: id)
                            return true
                        },
                    ] + readers)
                let winners = [0, 1].filter { (try? results[$0].get()) == true }
                #expect(winners.count == 1, "\(results)")
                #expect(a.voice(id)?.name == (winners == [0] ? "a\(round)" : "b\(round)"))
                for staging in stagings { DurableStorage.remove(staging) }
                #expect(try b.delete(id))
                #expect(VoiceKit.entries(in: folder).isEmpty)
            }
            #expect(broken.withLock { $0 }.isEmpty)
        }
    }

    // MARK: Helpers

    /// A staging folder of `library` holding one reference, as a received upload leaves it.
    static func stage(in library: VoiceLibrary) throws -> String {
        let staging = try library.makeStaging()
        try DurableStorage.writeNewFile(staging + "/references/ref_001.wav", bytes: [UInt8](VoiceKit.tone(seconds: 0.1)))
        return staging
    }

    static func publish(in library: VoiceLibrary, as id: VoiceID, name: String) throws -> VoiceRecord {
        try library.publish(staging: try stage(in: library), name: name, totalDuration: 6, as: id)
    }

    /// Runs the operations on threads of their own, released together; their results in order.
    static func race(_ operations: [@Sendable () throws -> Bool]) -> [Result<Bool, any Error>] {
        let results = Mutex<[Int: Result<Bool, any Error>]>([:])
        let start = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for (index, operation) in operations.enumerated() {
            done.enter()
            Thread.detachNewThread {
                start.wait()
                let result = Result { try operation() }
                results.withLock { $0[index] = result }
                done.leave()
            }
        }
        // A start line, so that the operations overlap rather than run one after another.
        for _ in operations { start.signal() }
        done.wait()
        return results.withLock { dict in operations.indices.map { dict[$0]! } }
    }

    /// A folder with a `references/ref_001.wav`, everything in it last modified `age` seconds ago.
    static func makeLeftover(in folder: String, named name: String, age: TimeInterval = 0) throws -> String {
        let path = folder + "/" + name
        try FileManager.default.createDirectory(atPath: path + "/references", withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path + "/references/ref_001.wav"))
        let stamp = Date().addingTimeInterval(-age)
        for item in [path + "/references/ref_001.wav", path + "/references", path] {
            try FileManager.default.setAttributes([.modificationDate: stamp], ofItemAtPath: item)
        }
        return path
    }
}
