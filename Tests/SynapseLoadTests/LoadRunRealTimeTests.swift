import Foundation
import NIOCore
import NIOHTTP1
import SynapseCore
import SynapseHAR
import SynapseLoad
import SynapseLoadReport
import SynapseTestSupport
import Testing

/// The engine against a real local server. Serialized: the timing checks and the memory check
/// should not share the machine with each other. `RealTime` in the name: scripts/test.sh runs
/// these after the rest of the suite, alone, since they hold real time to a few percent.
@Suite(.serialized) struct LoadRunRealTimeTests {
    @Test func theOpenModelKeepsItsRateWithinFivePercent() async throws {
        try await TestTarget.with { target in
            var load = try plan(target, pacing: .rate(.constant(200), arrival: .constant))
            load.loops = true
            load.duration = .seconds(3)
            let (result, samples) = try await runCollecting(load)
            #expect(result.statistics.errors == 0)
            // The schedule: 600 slots, 5 ms apart.
            let slots = samples.map(\.scheduledAt).sorted()
            #expect(slots.count == 600)
            #expect(zip(slots, slots.dropFirst()).allSatisfy { $1 - $0 == .milliseconds(5) })
            // The server: about 200 arrivals in each second.
            let times = target.arrivals.map(\.at).sorted()
            let first = try #require(times.first)
            for second in 0..<3 {
                let count = times.filter { first.until($0) >= .seconds(second) && first.until($0) < .seconds(second + 1) }.count
                #expect(abs(count - 200) <= 10, "second \(second): \(count) arrivals")
            }
        }
    }

    @Test func theClosedModelNeverHasMoreThanItsClientsInFlight() async throws {
        try await TestTarget.with(answer: { _ in .delayed(.milliseconds(5)) }) { target in
            let load = try plan(target, count: 200, pacing: .concurrency(.constant(8)))
            let (result, _) = try await runCollecting(load)
            #expect(result.statistics.requests == 200)
            #expect(target.arrivals.count == 200)
            #expect(target.highestConcurrency <= 8)
            #expect(target.highestConcurrency >= 4)
        }
    }

    @Test func recordedTimingIsReplayedScaledBySpeed() async throws {
        try await TestTarget.with { target in
            let url = try TargetURL.parse(target.url)
            let requests = [0, 100, 300].map { ReplayRequest(method: .GET, path: "/at/\($0)", target: url, offset: .milliseconds($0)) }
            let (result, _) = try await runCollecting(LoadPlan(requests: requests, target: url, pacing: .recorded(speed: 2)))
            #expect(result.statistics.requests == 3)
            let arrivals = target.arrivals.sorted { $0.at < $1.at }
            #expect(arrivals.map(\.uri) == ["/at/0", "/at/100", "/at/300"])
            let offsets = arrivals.map { arrivals[0].at.until($0.at) }
            #expect(abs((offsets[1] - .milliseconds(50)).seconds) < 0.02)
            #expect(abs((offsets[2] - .milliseconds(150)).seconds) < 0.02)
        }
    }

    @Test func aBodyFileArrivesByteIdentical() async throws {
        try await withTemporaryFolder { folder in
            var generator = SplitMix64(seed: 42)
            let bytes = (0..<(1 << 20) + 12_345).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let file = folder.appendingPathComponent("body.bin")
            try Data(bytes).write(to: file)
            try await TestTarget.with { target in
                let load = try plan(
                    target, method: .POST, path: "/upload", count: 2, pacing: .concurrency(.constant(1)), body: .file(path: file.path, size: bytes.count))
                let (_, samples) = try await runCollecting(load)
                #expect(samples.map(\.bytesSent) == [bytes.count, bytes.count])
                #expect(target.arrivals.map(\.bodySHA256) == Array(repeating: SHA256.hex(bytes), count: 2))
            }
        }
    }

    @Test func aLargeBodyFileStreamsWithFlatMemory() async throws {
        try await withTemporaryFolder { folder in
            let size = 200 << 20
            let file = folder.appendingPathComponent("large.bin")
            // Sparse: no disk space and no time to write; reads give zeros.
            _ = FileManager.default.createFile(atPath: file.path, contents: nil)
            try FileHandle(forWritingTo: file).truncate(atOffset: UInt64(size))
            try await TestTarget.with(hashBodies: false) { target in
                let before = Self.memoryKiB("VmRSS")
                let load = try plan(target, method: .POST, path: "/upload", pacing: .concurrency(.constant(1)), body: .file(path: file.path, size: size))
                // RSS sampled while the body streams (the process's high-water mark would also
                // hold the peaks of tests that ran before).
                let (samples, peak) = try await withThrowingTaskGroup(of: Int.self) { group in
                    group.addTask {
                        var peak = 0
                        while !Task.isCancelled {
                            peak = max(peak, Self.memoryKiB("VmRSS"))
                            try? await Task.sleep(for: .milliseconds(10))
                        }
                        return peak
                    }
                    let samples = try await runCollecting(load).samples
                    group.cancelAll()
                    return (samples, try await group.next() ?? 0)
                }
                let after = peak
                #expect(samples.first?.outcome == .status(200))
                #expect(target.arrivals.first?.bodyBytes == size)
                // Buffering the body would add 200 MiB; streaming adds a few chunks.
                #expect(after - before < 48 * 1024, "peak grew by \((after - before) / 1024) MiB")
            }
        }
    }

    @Test func chatStreamsGiveTimeToFirstTokenGapsAndTheGatewayOverhead() async throws {
        func event(_ delta: String) -> [UInt8] { Array("data: {\"choices\":[{\"index\":0,\"delta\":\(delta)}]}\n\n".utf8) }
        let pieces: [(after: Duration, bytes: [UInt8])] = [
            (.zero, event(#"{"role":"assistant","content":null}"#)), (.milliseconds(100), event(#"{"content":"Hel"}"#)),
            (.milliseconds(250), event(#"{"content":"lo"}"#)), (.milliseconds(300), event("{}") + Array("data: [DONE]\n\n".utf8)),
        ]
        let headers = [("Content-Type", "text/event-stream"), ("X-Synapse-Overhead-Ms", "1.5")]
        try await TestTarget.with(answer: { _ in .stream(headers: headers, pieces: pieces) }) { target in
            let load = try plan(
                target, method: .POST, path: "/v1/chat/completions", pacing: .concurrency(.constant(1)), body: .buffer(ByteBuffer(string: "{}")))
            let sample = try #require(try await runCollecting(load).samples.first)
            #expect(sample.stream == .chatEvents)
            let firstToken = try #require(sample.firstToken).seconds
            #expect(firstToken >= 0.1 && firstToken < 0.2)
            #expect(sample.tokenGaps.count == 1)
            #expect(abs((sample.tokenGaps.first ?? .zero).seconds - 0.15) < 0.05)
            #expect(sample.overheadMilliseconds == 1.5)
            #expect((sample.latency.seconds) >= 0.3)
        }
    }

    @Test func transcriptStreamsGiveTimeToFirstSegment() async throws {
        let pieces: [(after: Duration, bytes: [UInt8])] = [
            (.milliseconds(150), Array("event: segment\r\ndata: {\"id\": 1, \"text\": \"Hi\"}\r\n\r\n".utf8)),
            (.milliseconds(200), Array("event: done\r\ndata: {}\r\n\r\n".utf8)),
        ]
        try await TestTarget.with(answer: { _ in .stream(headers: [("Content-Type", "text/event-stream; charset=utf-8")], pieces: pieces) }) { target in
            let load = try plan(target, method: .POST, path: "/stt/stream", pacing: .concurrency(.constant(1)), body: .buffer(ByteBuffer(string: "x")))
            let sample = try #require(try await runCollecting(load).samples.first)
            #expect(sample.stream == .transcriptEvents)
            let first = try #require(sample.firstSegment).seconds
            #expect(first >= 0.15 && first < 0.25)
        }
    }

    @Test func audioAnswersGiveFirstAudioByteAndTheirLength() async throws {
        let wav = WAVFile(samples: Array(repeating: 0, count: 16_000), sampleRate: 16_000).encoded()
        let pieces: [(after: Duration, bytes: [UInt8])] = [(.milliseconds(80), Array(wav[..<30])), (.milliseconds(120), Array(wav[30...]))]
        try await TestTarget.with(answer: { _ in .stream(headers: [("Content-Type", "audio/wav")], pieces: pieces) }) { target in
            let load = try plan(target, method: .POST, path: "/tts/synthesize", pacing: .concurrency(.constant(1)), body: .buffer(ByteBuffer(string: "{}")))
            let sample = try #require(try await runCollecting(load).samples.first)
            #expect(sample.stream == .audio)
            #expect(try #require(sample.firstAudio).seconds >= 0.08)
            #expect(sample.audioSeconds == 1.0)
        }
    }

    @Test func failuresAreCountedByKind() async throws {
        // Refused: nothing listens.
        let dead = try TargetURL.parse(try await UnusedAddress.url())
        let refused = try await runCollecting(
            LoadPlan(requests: [ReplayRequest(method: .GET, path: "/", target: dead)], target: dead, pacing: .recorded(speed: 1)))
        #expect(refused.samples.map(\.outcome) == [.failure(.refused)])
        // Reset: the server closes half-way through its answer.
        try await TestTarget.with(answer: { _ in .closeMidResponse }) { target in
            let (_, samples) = try await runCollecting(try plan(target, pacing: .recorded(speed: 1)))
            #expect(samples.map(\.outcome) == [.failure(.reset)])
        }
        // Timeout: the server never answers.
        try await TestTarget.with(answer: { _ in .hang }) { target in
            var load = try plan(target, pacing: .recorded(speed: 1))
            load.timeout = .milliseconds(300)
            let (result, samples) = try await runCollecting(load)
            #expect(samples.map(\.outcome) == [.failure(.timeout)])
            #expect(result.statistics.errors == 1)
            #expect(try #require(samples.first).latency >= .milliseconds(300))
        }
    }

    @Test func credentialsAndHeadersArriveAndRedactedValuesDoNot() async throws {
        try await withTemporaryFolder { folder in
            let har = try writeHAR(
                [TestEntry(url: "http://gw/v1/models", headers: [("Authorization", "[REDACTED]"), ("X-Api-Key", "[REDACTED]"), ("X-Trace", "t1")])], in: folder)
            try await TestTarget.with { target in
                var rewrite = RequestRewrite(target: try TargetURL.parse(target.url))
                rewrite.headers = [try RequestRewrite.parseHeader("X-Tenant: blue")]
                rewrite.setAPIKey("sk-live")
                let requests = rewrite.requests(from: try HARArchive.load(har).exchanges).requests
                _ = try await runCollecting(LoadPlan(requests: requests, target: rewrite.target, pacing: .recorded(speed: 1)))
                let headers = try #require(target.arrivals.first).headers
                #expect(headers["Authorization"] == ["Bearer sk-live"])
                #expect(headers["X-Tenant"] == ["blue"])
                #expect(headers["X-Trace"] == ["t1"])
                #expect(headers["X-Api-Key"].isEmpty)
                #expect(headers["Host"] == ["127.0.0.1:\(target.port)"])
            }
        }
    }

    @Test func aRunEndsAfterItsDurationAndGraceCountingUnansweredRequestsAsTimeouts() async throws {
        try await TestTarget.with(answer: { _ in .hang }) { target in
            var load = try plan(target, pacing: .rate(.constant(20), arrival: .constant))
            load.loops = true
            load.duration = .milliseconds(500)
            load.grace = .milliseconds(200)
            let start = ContinuousClock.now
            let (result, samples) = try await runCollecting(load)
            #expect(ContinuousClock.now - start < .seconds(3))
            #expect(result.statistics.requests == 10)
            #expect(samples.allSatisfy { $0.outcome == .failure(.timeout) })
        }
    }

    /// A line of /proc/self/status in KiB (0 where there is no /proc).
    static func memoryKiB(_ field: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(separator: " ").dropFirst().first { Int($0) != nil } ?? "0") ?? 0
        }
        return 0
    }
}

extension NIODeadline {
    /// From this instant to `later`.
    func until(_ later: NIODeadline) -> Duration {
        .nanoseconds(Int64(later.uptimeNanoseconds) - Int64(uptimeNanoseconds))
    }
}
