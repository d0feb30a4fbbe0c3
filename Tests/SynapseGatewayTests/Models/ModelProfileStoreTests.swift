import Foundation
import Logging
import SynapseCore
import Synchronization
import Testing

@testable import SynapseGateway

/// `ModelProfileStore`: the original's file format byte for byte, atomic durable writes, and
/// re-reading when another replica (or anyone) changes the file.
@Suite struct ModelProfileStoreTests {
    /// What the original `ModelProfileStore` wrote (run with the same steps and clock):
    /// set gpt-oss-20b, patch Qwen3-8B-Q4_K_M, patch gpt-oss-20b.
    static let pythonFile = #"""
        {
          "models": {
            "Qwen3-8B-Q4_K_M": {
              "updated_at": "2026-02-21T09:30:06+00:00",
              "values": {
                "system_prompt": "S\u00e9 breve \u2713 \ud83d\ude00 \"q\"\n",
                "top_p": 0.9
              }
            },
            "gpt-oss-20b": {
              "updated_at": "2026-02-21T09:30:07.250000+00:00",
              "values": {
                "min_p": 0.05,
                "reasoning_effort": "high",
                "system_prompt": "Be brief.",
                "temperature": 1.0
              }
            }
          },
          "version": 1
        }
        """#

    static func steps(_ store: ModelProfileStore) throws {
        _ = store.profile(for: "x")
        try store.set(
            "gpt-oss-20b",
            values: [
                ("temperature", .double(1.0)), ("system_prompt", .string("Be brief.")), ("max_tokens", .int(100)),
                ("reasoning_effort", .string("high")), ("top_p", .null),
            ])
        try store.patch("Qwen3-8B-Q4_K_M", updates: [("top_p", .double(0.9)), ("system_prompt", .string("Sé breve ✓ 😀 \"q\"\n"))])
        try store.patch("gpt-oss-20b", updates: [("min_p", .double(0.05)), ("max_tokens", nil)])
    }

    @Test func writesTheOriginalsFileFormatByteForByte() throws {
        let directory = try ScratchDirectory()
        let path = directory.path + "/sub/model-profiles.json"
        let clock = SteppingClock([1_771_666_205.5, 1_771_666_206.0, 1_771_666_207.25])
        let store = ModelProfileStore(path: path, now: clock.next)
        try Self.steps(store)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written == Self.pythonFile)
    }

    @Test func readsTheOriginalsFileAndReturnsValuesSortedByKey() throws {
        let directory = try ScratchDirectory()
        let path = directory.path + "/model-profiles.json"
        try Self.pythonFile.write(toFile: path, atomically: false, encoding: .utf8)
        let store = ModelProfileStore(path: path)
        #expect(store.profile(for: "gpt-oss-20b").map(\.0) == ["min_p", "reasoning_effort", "system_prompt", "temperature"])
        #expect(JSONValue.object(store.profile(for: "Qwen3-8B-Q4_K_M")) == .obj(("system_prompt", .string("Sé breve ✓ 😀 \"q\"\n")), ("top_p", .double(0.9))))
        #expect(store.profile(for: "qwen3-8b-q4_k_m").isEmpty)
    }

    @Test func patchMergesRemovesAndDeletesTheRecordWhenEmpty() throws {
        let directory = try ScratchDirectory()
        let path = directory.path + "/p.json"
        let store = ModelProfileStore(path: path, now: { Date(timeIntervalSince1970: 0) })
        let merged = try store.patch("m", updates: [("top_k", .int(5)), ("temperature", .double(0.5))])
        #expect(JSONValue.object(merged) == .obj(("temperature", .double(0.5)), ("top_k", .int(5))))
        #expect(JSONValue.object(try store.patch("m", updates: [("top_k", nil)])) == .obj(("temperature", .double(0.5))))
        #expect(try store.patch("m", updates: [("temperature", nil)]).isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\n  \"models\": {},\n  \"version\": 1\n}")
    }

    @Test func setReplacesAllValuesAndAnEmptySetDeletesTheRecord() throws {
        let directory = try ScratchDirectory()
        let store = ModelProfileStore(path: directory.path + "/p.json", now: { Date(timeIntervalSince1970: 1) })
        try store.set("m", values: [("top_k", .int(5))])
        try store.set("m", values: [("top_p", .double(0.5))])
        #expect(JSONValue.object(store.profile(for: "m")) == .obj(("top_p", .double(0.5))))
        #expect(try store.set("m", values: [("top_p", .null)]).isEmpty)
        #expect(store.profile(for: "m").isEmpty)
        let document = try JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: store.path)))
        #expect(document == .obj(("models", .obj()), ("version", .int(1))))
    }

    @Test func atomicWriteLeavesNoTemporaryFile() throws {
        let directory = try ScratchDirectory()
        let store = ModelProfileStore(path: directory.path + "/model-profiles.json")
        // A temporary left by a crashed writer is replaced, not an obstacle.
        try "junk".write(toFile: directory.path + "/model-profiles.json.tmp", atomically: false, encoding: .utf8)
        try store.set("m", values: [("top_k", .int(5))])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["model-profiles.json"])
    }

    @Test func anotherStoreOnTheSameFileSeesEachWrite() throws {
        let directory = try ScratchDirectory()
        let path = directory.path + "/shared.json"
        let first = ModelProfileStore(path: path)
        let second = ModelProfileStore(path: path)
        #expect(second.profile(for: "m").isEmpty)
        try first.set("m", values: [("top_k", .int(5))])
        #expect(JSONValue.object(second.profile(for: "m")) == .obj(("top_k", .int(5))))
        try second.patch("m", updates: [("top_p", .double(0.5))])
        #expect(JSONValue.object(first.profile(for: "m")) == .obj(("top_k", .int(5)), ("top_p", .double(0.5))))
    }

    @Test func rereadsAFileChangedOnDiskAndTreatsABrokenOneAsEmpty() throws {
        let directory = try ScratchDirectory()
        let path = directory.path + "/p.json"
        let store = ModelProfileStore(path: path)
        try store.set("m", values: [("top_k", .int(5))])
        try #"{"models": {"m": {"values": {"top_k": 7}}, "other": 1}, "version": 1}"#.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(JSONValue.object(store.profile(for: "m")) == .obj(("top_k", .int(7))))
        try "not json".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(store.profile(for: "m").isEmpty)
        try FileManager.default.removeItem(atPath: path)
        #expect(store.profile(for: "m").isEmpty)
        try #"{"models": []}"#.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(store.profile(for: "m").isEmpty)
    }

    @Test func keepsUnknownRecordsAndReadsPythonsNaN() throws {
        let directory = try ScratchDirectory()
        let path = directory.path + "/p.json"
        try #"{"models": {"odd": {"values": [1]}, "n": {"updated_at": "x", "values": {"temperature": NaN, "s": "NaN"}}}, "version": 1}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let store = ModelProfileStore(path: path, now: { Date(timeIntervalSince1970: 0) })
        #expect(JSONValue.object(store.profile(for: "n")) == .obj(("s", .string("NaN")), ("temperature", .double(.nan))))
        #expect(store.profile(for: "odd").isEmpty)
        try store.patch("m", updates: [("top_k", .int(1))])
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.contains(#""temperature": NaN"#))
        #expect(written.contains("\"odd\": {\n      \"values\": [\n        1\n      ]\n    }"))
        #expect(JSONValue.object(ModelProfileStore(path: path).profile(for: "n"))["temperature"] == .double(.nan))
    }

    @Test func aFailedWriteChangesNothing() throws {
        let directory = try ScratchDirectory()
        // The parent "directory" is a file, so nothing can be written below it.
        try "file".write(toFile: directory.path + "/blocker", atomically: false, encoding: .utf8)
        let store = ModelProfileStore(path: directory.path + "/blocker/p.json")
        #expect(throws: ProfileStoreError.self) { try store.set("m", values: [("top_k", .int(5))]) }
        #expect(store.profile(for: "m").isEmpty)
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00+00:00"), (1_771_666_205.5, "2026-02-21T09:30:05.500000+00:00"),
        (951_782_400.000_25, "2000-02-29T00:00:00.000250+00:00"), (-1.5, "1969-12-31T23:59:58.500000+00:00"),
        (4_107_542_399.0, "2100-02-28T23:59:59+00:00"),
    ])
    func writesUpdatedAtAsPythonsIsoformat(_ seconds: Double, _ text: String) {
        #expect(ProfileFile.isoformat(Date(timeIntervalSince1970: seconds)) == text)
    }
}

/// A temporary directory removed when the value is released.
final class ScratchDirectory: Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("synapse-models-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Hands out the given instants in order, for `updated_at`.
final class SteppingClock: Sendable {
    private let instants: Mutex<[Double]>

    init(_ instants: [Double]) { self.instants = Mutex(instants) }

    var next: @Sendable () -> Date {
        { [self] in Date(timeIntervalSince1970: instants.withLock { $0.removeFirst() }) }
    }
}
