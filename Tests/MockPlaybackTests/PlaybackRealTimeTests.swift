import Foundation
import MockPlayback
import NIOHTTP1
import SynapseHAR
import SynapseMockKit
import Synchronization
import Testing

/// Recorded timing on real time (the issue asks that events arrive within 20 ms of their recorded
/// offsets, which only a real clock can show) and on a test clock that records what it is asked.
/// `RealTime` in the name: scripts/test.sh runs these after the rest of the suite, alone, since
/// 20 ms cannot be held while hundreds of tests start at once on two cores.
@Suite struct PlaybackRealTimeTests {
    /// When each event's last byte arrived, from the head, given the chunks of a reply.
    static func arrivals(of reply: PlaybackHTTP.Reply, ends: [Int]) -> [Duration] {
        ends.map { end in reply.chunks.first { $0.end >= end }?.at ?? .seconds(999) }
    }

    @Test func eventsArriveAtTheirRecordedOffsetsWithin20Milliseconds() async throws {
        let offsets: [Double] = [0, 60, 150, 260]
        let (recording, _) = try PlaybackServerTests.eventStream(offsets: offsets)
        let archive = try recording.archive()
        let ends = try #require(archive.exchanges.first?.responseEvents).map(\.end)
        try await withMockServer(PlaybackHTTP.server(archive)) { mock in
            let reply = try await PlaybackHTTP.send(mock.url("/v1/chat/completions"), method: .POST, body: #"{"stream":true}"#)
            let arrivals = Self.arrivals(of: reply, ends: ends)
            for (arrival, offset) in zip(arrivals, offsets + [offsets.last!]) {
                let error = abs((arrival - .milliseconds(offset)) / .milliseconds(1))
                #expect(error <= 20, "event due at \(offset) ms arrived at \(arrival)")
            }
        }
    }

    @Test func withoutTimingTheEventsFollowEachOtherAtOnce() async throws {
        let (recording, stream) = try PlaybackServerTests.eventStream(offsets: [0, 2_000, 4_000], wait: 3_000)
        try await withMockServer(PlaybackHTTP.server(try recording.archive(), configuration: .init(timing: .none))) { mock in
            let reply = try await PlaybackHTTP.send(mock.url("/v1/chat/completions"), method: .POST, body: #"{"stream":true}"#)
            #expect(reply.text == stream)
            #expect(reply.timeToHead < .milliseconds(1_000))
            #expect((reply.chunks.last?.at ?? .zero) < .milliseconds(1_000))
        }
    }

    @Test func theRecordedTimeToFirstByteIsWaitedBeforeTheHead() async throws {
        var recording = try RecordingBuilder()
        try recording.add("GET", "/v1/models", body: .text("{}"), wait: 150)
        try await withMockServer(PlaybackHTTP.server(try recording.archive())) { mock in
            let reply = try await PlaybackHTTP.send(mock.url("/v1/models"))
            #expect(reply.status == 200)
            #expect(reply.timeToHead >= .milliseconds(150))
            #expect(reply.timeToHead < .milliseconds(1_000))
        }
    }

    @Test func theClockIsAskedForTheRecordedWaitsAndOffsets() async throws {
        // Each sleep is recorded and moves this clock on by its length at once.
        let sleeps = SleepLog()
        let time = MockTime(sleep: { sleeps.append($0) }, now: { Date(timeIntervalSince1970: 0) }, elapsed: { sleeps.total })
        let (recording, _) = try PlaybackServerTests.eventStream(offsets: [5, 40, 40, 100], wait: 1_200)
        try await withMockServer(PlaybackHTTP.server(try recording.archive(), time: time)) { mock in
            _ = try await PlaybackHTTP.send(mock.url("/v1/chat/completions"), method: .POST, body: #"{"stream":true}"#)
            #expect(sleeps.all == [.milliseconds(1_200), .milliseconds(5), .milliseconds(35), .milliseconds(60)])
        }
    }
    @Test func aPlainBodyIsSpreadOverTheRecordedReceiveTime() async throws {
        let sleeps = SleepLog()
        let time = MockTime(sleep: { sleeps.append($0) }, now: { Date(timeIntervalSince1970: 0) }, elapsed: { sleeps.total })
        var recording = try RecordingBuilder()
        // Four chunks of at most 64 KiB: the 2nd, 3rd and 4th are due after 65536/200000 of 400 ms each.
        let body = [UInt8](repeating: 1, count: 200_000)
        try recording.add("GET", "/file", mimeType: "application/octet-stream", body: .file(body), receive: 400)
        try recording.add("GET", "/none", mimeType: "application/octet-stream", body: .file(body), receive: 400)
        try await withMockServer(PlaybackHTTP.server(try recording.archive(), time: time)) { mock in
            let reply = try await PlaybackHTTP.send(mock.url("/file"))
            #expect(reply.body == body)
            #expect(sleeps.all == Array(repeating: .microseconds(131_072), count: 3))
        }
        try await withMockServer(PlaybackHTTP.server(try recording.archive(), configuration: .init(timing: .none), time: time)) { mock in
            let reply = try await PlaybackHTTP.send(mock.url("/none"))
            #expect(reply.body == body)
            #expect(sleeps.all.count == 3)
        }
    }
}

/// Durations asked of a test clock, and their sum: the time that clock has moved on.
final class SleepLog: Sendable {
    private let log = Mutex<[Duration]>([])
    func append(_ duration: Duration) { log.withLock { $0.append(duration) } }
    var all: [Duration] { log.withLock { $0 } }
    var total: Duration { all.reduce(.zero, +) }
}
