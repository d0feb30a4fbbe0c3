import Foundation
import SynapseCore
import SynapseHAR
import Testing

@Suite struct HARBodyStoreTests {
    @Test func aBodyIsStoredOnceUnderItsDigest() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("synapse-bodies-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = HARBodyStore(recordingDirectory: directory)
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        var digests: [String] = []
        for _ in 0..<2 {
            let upload = try store.begin()
            for chunk in stride(from: 0, to: bytes.count, by: 7000) { try upload.append(Array(bytes[chunk..<min(chunk + 7000, bytes.count)])) }
            digests.append(try upload.commit())
        }
        #expect(digests[0] == SHA256.hex(bytes) && digests[1] == digests[0])
        let files = try FileManager.default.contentsOfDirectory(atPath: store.directory.path)
        #expect(files == [digests[0]])
        #expect(try Data(contentsOf: store.directory.appendingPathComponent(digests[0])) == Data(bytes))
    }

    @Test func aDiscardedUploadLeavesNothing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("synapse-bodies-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = HARBodyStore(recordingDirectory: directory)
        let upload = try store.begin()
        try upload.append([1, 2, 3])
        upload.discard()
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.directory.path).isEmpty)
    }
}
