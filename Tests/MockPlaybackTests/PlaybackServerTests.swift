import Foundation
import Hummingbird
import MockPlayback
import NIOCore
import NIOHTTP1
import NIOPosix
import SynapseCore
import SynapseHAR
import SynapseMockKit
import Testing

@Suite struct PlaybackServerTests {
    @Test func aJSONAnswerIsPlayedBackByteForByteWithItsStatusAndHeaders() async throws {
        var recording = try RecordingBuilder()
        let json = #"{"object":"list","data":[{"embedding":[0.25,-1.0e-3],"index":0}],"model":"mxbai"}"#
        try recording.add(
            "POST", "http://127.0.0.1:8000/v1/embeddings", requestBody: #"{"input":"hello"}"#, status: 201,
            headers: [("Content-Type", "application/json; charset=utf-8"), ("X-Backend", "one"), ("Content-Length", "999"), ("Connection", "close")],
            body: .text(json))
        try await withMockServer(PlaybackHTTP.server(try recording.archive())) { mock in
            let reply = try await PlaybackHTTP.send(mock.url("/v1/embeddings"), method: .POST, body: #"{"input":"hello"}"#)
            #expect(reply.status == 201)
            #expect(reply.text == json)
            #expect(reply.headers["Content-Type"] == ["application/json; charset=utf-8"])
            #expect(reply.headers["X-Backend"] == ["one"])
            // The recorded framing is replaced by the real one.
            #expect(reply.headers["Content-Length"] == ["\(json.utf8.count)"])
        }
    }

    @Test func aBinaryBodyFileIsStreamedByteForByte() async throws {
        var recording = try RecordingBuilder()
        // Larger than a read chunk, with every byte value.
        let audio = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) }
        try recording.add("POST", "/denoise", status: 200, headers: [("Content-Type", "audio/wav")], mimeType: "audio/wav", body: .file(audio))
        try recording.add("GET", "/small", status: 200, mimeType: "application/octet-stream", body: .base64([0, 255, 1, 254]))
        try await withMockServer(PlaybackHTTP.server(try recording.archive(), backend: "deepfilter-audio")) { mock in
            let reply = try await PlaybackHTTP.send(mock.url("/denoise"), method: .POST)
            #expect(reply.status == 200)
            #expect(reply.body == audio)
            #expect(reply.headers["Content-Type"] == ["audio/wav"])
            #expect(try await PlaybackHTTP.send(mock.url("/small")).body == [0, 255, 1, 254])
        }
    }

    @Test func aLargeRecordedUploadIsComparedWithItsBodyFile() async throws {
        var recording = try RecordingBuilder()
        // Past the in-memory limit, so the comparison reads the body file in chunks.
        var upload = [UInt8](repeating: 0x5A, count: 4 * 1024 * 1024 + 1000)
        for index in stride(from: 0, to: upload.count, by: 4096) { upload[index] = UInt8(truncatingIfNeeded: index / 4096) }
        try recording.add("POST", "/transcribe", requestFile: upload, body: .text("matched"))
        try await withMockServer(PlaybackHTTP.server(try recording.archive(), backend: "whisper-stt")) { mock in
            let same = try await PlaybackHTTP.send(mock.url("/transcribe"), method: .POST, bytes: upload)
            #expect(same.text == "matched")
            var other = upload
            other[other.count - 1] ^= 1
            let changed = try await PlaybackHTTP.send(mock.url("/transcribe"), method: .POST, bytes: other)
            #expect(changed.status == 404)
        }
    }

    @Test func anEventStreamIsPlayedBackByteForByte() async throws {
        let (recording, stream) = try Self.eventStream(offsets: [0, 10, 20])
        try await withMockServer(PlaybackHTTP.server(try recording.archive(), configuration: .init(timing: .none))) { mock in
            let reply = try await PlaybackHTTP.send(mock.url("/v1/chat/completions"), method: .POST, body: #"{"stream":true}"#)
            #expect(reply.status == 200)
            #expect(reply.text == stream)
            #expect(reply.headers["Content-Type"] == ["text/event-stream"])
        }
    }

    @Test func repeatedEntriesAreServedInTurnAndAgainAfterAReset() async throws {
        var recording = try RecordingBuilder()
        for answer in ["first", "second", "third"] { try recording.add("GET", "/models", body: .text(answer)) }
        try await withMockServer(PlaybackHTTP.server(try recording.archive())) { mock in
            var answers: [String] = []
            for _ in 0..<4 { answers.append(try await PlaybackHTTP.send(mock.url("/models")).text) }
            #expect(answers == ["first", "second", "third", "first"])
            try await mock.reset()
            #expect(try await PlaybackHTTP.send(mock.url("/models")).text == "first")
        }
    }

    @Test func anUnmatchedRequestGetsTheConfiguredStatusAndTheClosestRecordedRequest() async throws {
        var recording = try RecordingBuilder()
        try recording.add("POST", "/v1/embeddings", requestBody: #"{"input":"hello","model":"mxbai"}"#, body: .text("{}"))
        try recording.add("GET", "/models", body: .text("[]"))
        let server = PlaybackHTTP.server(try recording.archive(), configuration: .init(bodyMatch: .jsonSubset, unmatchedStatus: 418))
        try await withMockServer(server) { mock in
            let reply = try await PlaybackHTTP.send(mock.url("/v1/embeddings"), method: .POST, body: #"{"input":"hello","model":"qwen"}"#)
            #expect(reply.status == 418)
            let error = try #require(try JSONValue.parse(reply.body)["error"])
            #expect(error["code"] == .string("playback_unmatched"))
            #expect(error["closest"]?["path"] == .string("/v1/embeddings"))
            #expect(error["closest"]?["reason"] == .string("body differs at $.model"))
            #expect(error["closest"]?["recorded"] == .string("recording.har entry 0"))

            let wrongMethod = try JSONValue.parse(try await PlaybackHTTP.send(mock.url("/models"), method: .DELETE).body)
            #expect(wrongMethod["error"]?["closest"]?["reason"] == .string("method differs: recorded GET"))
        }
    }

    @Test func anUnrecordedHealthCheckIsAnsweredAndARecordedOneIsPlayedBack() async throws {
        var recording = try RecordingBuilder()
        try recording.add("GET", "/v1/models", body: .text("{}"))
        try await withMockServer(PlaybackHTTP.server(try recording.archive())) { mock in
            let health = try await PlaybackHTTP.send(mock.url("/health"))
            #expect(health.status == 200)
        }
        try recording.add("GET", "/health", status: 503, body: .text(#"{"status":"loading"}"#))
        try await withMockServer(PlaybackHTTP.server(try recording.archive())) { mock in
            let health = try await PlaybackHTTP.send(mock.url("/health"))
            #expect(health.status == 503)
        }
    }

    @Test func aFallbackMockAnswersWhatTheRecordingDoesNotHoldWithTheSameBody() async throws {
        var recording = try RecordingBuilder()
        try recording.add("POST", "/echo", requestBody: "recorded", body: .text("from the recording"))
        let library = PlaybackLibrary(archive: try recording.archive(), routing: PlaybackRouting { _, target in .init(backend: "echo", target: target) })
        let server = PlaybackServer(
            name: "echo", backendType: "test", healthPath: "/health", entries: library.entries(for: "echo"), fallback: EchoMock())
        try await withMockServer(server) { mock in
            #expect(try await PlaybackHTTP.send(mock.url("/echo"), method: .POST, body: "recorded").text == "from the recording")
            #expect(try await PlaybackHTTP.send(mock.url("/echo"), method: .POST, body: "other").text == "echo: other")
            #expect(try await PlaybackHTTP.send(mock.url("/nowhere")).status == 404)
            // A status fault answers in the fallback's error format.
            try await mock.inject(FaultRule(.status(code: 500), times: 1))
            #expect(try await PlaybackHTTP.send(mock.url("/echo"), method: .POST, body: "recorded").text == "echo error 500")
        }
    }

    @Test func faultsStillApplyOnTopOfPlayback() async throws {
        var recording = try RecordingBuilder()
        try recording.add("GET", "/models", body: .text("recorded"))
        try await withMockServer(PlaybackHTTP.server(try recording.archive())) { mock in
            try await mock.inject(FaultRule(.status(code: 503), times: 1))
            #expect(try await PlaybackHTTP.send(mock.url("/models")).status == 503)
            #expect(try await PlaybackHTTP.send(mock.url("/models")).text == "recorded")
            #expect(try await mock.journal.entry(1).fault == "status=503")
            #expect(try await mock.journal.entry(2).fault == nil)

            try await mock.inject(.refuse)
            // A refused connection, not a slow one (HTTPClient would retry it until its deadline).
            await #expect(throws: (any Error).self) {
                try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: mock.port).get().close()
            }
            try await mock.clearFaults()
            #expect(try await PlaybackHTTP.send(mock.url("/models")).text == "recorded")
        }
    }

    /// A recording of one streamed chat answer whose events were sent at `offsets` (ms).
    static func eventStream(offsets: [Double], wait: Double = 0) throws -> (RecordingBuilder, String) {
        var recording = try RecordingBuilder()
        var stream = ""
        var events: [HARStreamEvent] = []
        for (index, offset) in offsets.enumerated() {
            stream += "data: {\"index\":\(index)}\n\n"
            events.append(HARStreamEvent(offsetMs: offset, end: stream.utf8.count))
        }
        stream += "data: [DONE]\n\n"
        events.append(HARStreamEvent(offsetMs: offsets.last ?? 0, end: stream.utf8.count))
        try recording.add(
            "POST", "/v1/chat/completions", requestBody: #"{"stream":true}"#, headers: [("Content-Type", "text/event-stream")],
            mimeType: "text/event-stream", body: .text(stream), wait: wait, events: events)
        return (recording, stream)
    }
}

/// A synthetic mock that echoes request bodies, as a playback fallback.
struct EchoMock: MockServer {
    var name: String { "echo" }
    var backendType: String { "test" }
    var healthPath: String { "/health" }

    func addRoutes(to router: Router<MockRequestContext>) {
        router.post("/echo") { request, context in
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "echo: " + String(buffer: body))))
        }
    }

    func errorResponse(status: HTTPResponse.Status, message: String) -> Response {
        Response(status: status, body: .init(byteBuffer: ByteBuffer(string: "echo error \(status.code)")))
    }
}
