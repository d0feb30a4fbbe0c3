import Foundation
import SynapseHAR
import Testing

/// The HAR file is a complete document after every entry and across rotations.
@Suite struct HARFileWriterTests {
    static func entry(_ n: Int) -> HAREntry {
        HAREntry(
            startedDateTime: "2026-12-07T03:00:0\(n % 10).000Z", time: 3,
            request: HARRequest(
                method: "POST", url: "http://gw/v1/embeddings?n=\(n)", postData: HARPostData(mimeType: "application/json", text: "{\"n\":\(n)}")),
            response: HARResponse(status: 200, content: HARContent(size: 2, mimeType: "application/json", text: "{}")),
            timings: HARTimings(send: 1, wait: 1, receive: 1), synapse: HARSynapseInfo(requestID: "r\(n)"))
    }

    static func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("synapse-har-\(UUID().uuidString)", isDirectory: true)
    }

    static func decode(_ file: URL) throws -> HARDocument {
        let data = try Data(contentsOf: file)
        _ = try JSONSerialization.jsonObject(with: data)
        return try JSONDecoder().decode(HARDocument.self, from: data)
    }

    @Test func theFileIsValidAfterEachEntry() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = HARFileWriter(directory: directory, now: { Date(timeIntervalSince1970: 1_796_612_462) })
        for n in 1...4 {
            try writer.append(Self.entry(n))
            let file = try #require(writer.currentFile)
            let document = try Self.decode(file)
            #expect(document.log.entries.map(\.synapse?.requestID) == (1...n).map { "r\($0)" })
            #expect(document.log.creator.name == "synapse" && document.log.version == "1.2")
        }
        #expect(writer.files.map(\.lastPathComponent) == ["synapse-20261207T030102Z-1.har"])
        try writer.close()
        #expect(try Self.decode(writer.files[0]).log.entries == (1...4).map(Self.entry))
    }

    @Test func rotationStartsANewCompleteFile() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = HARFileWriter(directory: directory, rotation: .init(maxEntries: 2, maxBytes: 1 << 20))
        for n in 1...5 { try writer.append(Self.entry(n)) }
        #expect(writer.files.count == 3)
        // Every file, the open one included, is complete.
        let counts = try writer.files.map { try Self.decode($0).log.entries.count }
        #expect(counts == [2, 2, 1])
    }

    @Test func rotationBySize() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = HARFileWriter(directory: directory, rotation: .init(maxEntries: 1000, maxBytes: 1024))
        for n in 1...6 { try writer.append(Self.entry(n)) }
        #expect(writer.files.count > 1)
        let total = try writer.files.map { try Self.decode($0).log.entries.count }.reduce(0, +)
        #expect(total == 6)
    }

    @Test func aNewWriterNeverOverwritesAnEarlierFile() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let now: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_796_612_462) }
        let first = HARFileWriter(directory: directory, now: now)
        try first.append(Self.entry(1))
        try first.close()
        let second = HARFileWriter(directory: directory, now: now)
        try second.append(Self.entry(2))
        #expect(second.currentFile != first.files[0])
        #expect(try Self.decode(first.files[0]).log.entries.count == 1)
    }
}
