import Foundation
import Testing

/// The debug build of the executable (`swift build --build-tests` builds it with the tests).
private let synapseExecutable = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent(".build/debug/synapse").path

/// `synapse load` as a user runs it: the built executable, its exit code and its messages.
@Suite(.serialized)
struct LoadCommandTests {
    struct Outcome {
        var status: Int32
        var output: String
        var errors: String
    }

    static func synapse(_ arguments: [String]) async throws -> Outcome {
        try #require(
            FileManager.default.isExecutableFile(atPath: synapseExecutable), "\(synapseExecutable) is missing: build with `swift build --build-tests` first")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: synapseExecutable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        // Waiting on the termination handler, not waitUntilExit: that would block a thread of
        // the cooperative pool for the whole run.
        let status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        return Outcome(
            status: status, output: String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self),
            errors: String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    @Test func passesWhenTheThresholdsHold() async throws {
        try await withTemporaryFolder { folder in
            let har = try writeHAR([TestEntry(url: "http://gw/v1/models")], in: folder)
            try await TestTarget.with { target in
                let json = folder.appendingPathComponent("report.json").path
                let run = try await Self.synapse(["load", har, "--target", target.url, "--threshold", "errors<1%", "--report-json", json])
                #expect(run.status == 0, "\(run.errors)")
                #expect(target.arrivals.count == 1)
                #expect(FileManager.default.fileExists(atPath: json))
            }
        }
    }

    @Test func failsNamingTheThresholdWhenOneDoesNotHold() async throws {
        try await withTemporaryFolder { folder in
            let har = try writeHAR([TestEntry(url: "http://gw/v1/models")], in: folder)
            try await TestTarget.with(answer: { _ in .respond(status: 500) }) { target in
                let junit = folder.appendingPathComponent("report.xml").path
                let run = try await Self.synapse([
                    "load", har, "--target", target.url, "--threshold", "errors<1%", "--threshold", "requests>=1", "--report-junit", junit,
                ])
                #expect(run.status == 1, "\(run.errors)")
                #expect(run.errors.contains("errors<1%") && !run.errors.contains("failed: requests>=1"), "\(run.errors)")
                let report = try String(contentsOfFile: junit, encoding: .utf8)
                #expect(report.contains("tests=\"2\"") && report.contains("failures=\"1\""), "\(report)")
            }
        }
    }

    @Test func anUnreadableRecordingExitsWithTwoAndSaysWhy() async throws {
        try await withTemporaryFolder { folder in
            let broken = folder.appendingPathComponent("broken.har")
            try Data("{\"log\": 3}".utf8).write(to: broken)
            let run = try await Self.synapse(["load", broken.path, "--target", "http://127.0.0.1:9"])
            #expect(run.status == 2)
            #expect(run.errors.contains("broken.har"))
        }
    }

    @Test func badArgumentsAreUsageErrors() async throws {
        try await withTemporaryFolder { folder in
            let har = try writeHAR([TestEntry()], in: folder)
            let both = try await Self.synapse(["load", har, "--target", "http://127.0.0.1:9", "--rate", "10", "--concurrency", "2"])
            #expect(both.status == 64)
            #expect(both.errors.contains("--rate and --concurrency"))
            let badRamp = try await Self.synapse(["load", har, "--target", "http://127.0.0.1:9", "--rate", "10", "--ramp", "10s"])
            #expect(badRamp.status == 64)
            #expect(badRamp.errors.contains("--ramp"))
            let https = try await Self.synapse(["load", har, "--target", "https://127.0.0.1:9"])
            #expect(https.status == 64)
        }
    }
}
