import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import SynapseCore
import SynapseHAR
import Testing

@testable import SynapseGateway

/// Recording at the gateway: what a HAR entry holds for each kind of exchange, and that the
/// recorded bodies are the bytes that passed.
@Suite struct RecordingTests {
    @Test func recordsAJSONPostWithTimingsAndSynapseInfo() async throws {
        try await Harness.withUpstream({ EchoUpstream.register($0, paths: [(.post, "/v1/embeddings")]) }) { port in
            try await Harness.withRecordingGateway(Harness.config(["llama-embed": port])) { gateway, url, folder in
                let body = Data(#"{"input":"hello","model":"e5"}"#.utf8)
                let reply = try await Harness.withClient { client in
                    try await client.send(
                        .POST, url + "/v1/embeddings?x=1", headers: [("Content-Type", "application/json"), ("X-Request-ID", "rec-json-1")], body: body)
                }
                #expect(reply.status == 200)
                await gateway.recorder.flush()
                let entries = try folder.entries()
                let entry = try #require(entries.first)
                #expect(entries.count == 1)
                #expect(entry.request.method == "POST")
                #expect(entry.request.url.hasSuffix("/v1/embeddings?x=1"))
                #expect(entry.request.queryString == [HARNameValue(name: "x", value: "1")])
                #expect(entry.request.postData?.text == String(decoding: body, as: UTF8.self))
                #expect(entry.request.postData?.mimeType == "application/json")
                #expect(entry.request.bodySize == body.count)
                #expect(entry.response.status == 200)
                #expect(entry.response.content.text == reply.text)
                #expect(entry.response.content.size == reply.body.count)
                #expect(entry.response.content.mimeType == "application/json")
                #expect(entry.synapse?.backend == "llama-embed")
                #expect(entry.synapse?.route == "/v1/embeddings")
                #expect(entry.synapse?.upstreamPath == "/v1/embeddings?x=1")
                #expect(entry.synapse?.requestID == "rec-json-1")
                #expect(entry.synapse?.overheadMs != nil)
                #expect(entry.timings.send >= 0 && entry.timings.wait >= 0 && entry.timings.receive >= 0)
                #expect(abs(entry.time - (entry.timings.send + entry.timings.wait + entry.timings.receive)) < 0.01)
                #expect(entry.startedDateTime.hasSuffix("Z"))
                #expect(folder.bodyFiles.isEmpty, "small JSON bodies are inline")
            }
        }
    }

    @Test func recordsAMultipartUploadWithItsPartsAndRawBody() async throws {
        let audio = Data((0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let form = {
            var form = MultipartBody()
            form.parts.append(("file", "meeting.wav", "audio/wav", audio))
            form.parts.append(("language", nil, nil, Data("de".utf8)))
            return form
        }()
        try await Harness.withUpstream({ EchoUpstream.register($0, paths: [(.post, "/transcribe")]) }) { port in
            try await Harness.withRecordingGateway(Harness.config(["whisper-stt": port])) { gateway, url, folder in
                let reply = try await Harness.withClient { client in
                    try await client.send(.POST, url + "/stt/transcribe", headers: [("Content-Type", form.contentType)], body: form.data)
                }
                #expect(reply.status == 200)
                await gateway.recorder.flush()
                let entry = try #require(try folder.entries().first)
                let postData = try #require(entry.request.postData)
                #expect(postData.mimeType == form.contentType)
                #expect(postData.size == form.data.count)
                let stored = try folder.body(postData.file)
                #expect(stored == form.data, "the raw body, byte for byte")
                #expect(postData.file == "bodies/" + SHA256.hex(Array(form.data)))
                #expect(
                    postData.params == [
                        HARParam(name: "file", fileName: "meeting.wav", contentType: "audio/wav", size: audio.count),
                        HARParam(name: "language", value: "de", size: 2),
                    ])
                #expect(entry.synapse?.upstreamPath == "/transcribe")
                #expect(entry.synapse?.backend == "whisper-stt")
                #expect(!folder.bodyFiles.contains { $0.lastPathComponent.hasPrefix(".partial-") })
            }
        }
    }

    @Test func recordsEachEventOfAnSSEStreamWithItsOffset() async throws {
        let pieces = (0..<4).map { "event: delta\ndata: {\"n\":\($0)}\n\n" } + ["data: [DONE]\n\n"]
        try await Harness.withUpstream({ router in
            router.post("/v1/chat/completions") { _, _ -> Response in
                Response(
                    status: .ok, headers: [.contentType: "text/event-stream"],
                    body: ResponseBody { writer in
                        for piece in pieces {
                            try await writer.write(ByteBuffer(string: piece))
                            try await Task.sleep(for: .milliseconds(15))
                        }
                        try await writer.finish(nil)
                    })
            }
        }) { port in
            try await Harness.withRecordingGateway(Harness.config(["llama-router": port])) { gateway, url, folder in
                let reply = try await Harness.withClient { client in
                    try await client.send(
                        .POST, url + "/v1/chat/completions", headers: [("Content-Type", "application/json")],
                        body: Data(#"{"model":"m","stream":true,"messages":[]}"#.utf8))
                }
                #expect(reply.text == pieces.joined())
                await gateway.recorder.flush()
                let entry = try #require(try folder.entries().first)
                let content = entry.response.content
                #expect(content.text == pieces.joined())
                let events = try #require(content.events)
                #expect(events.count == pieces.count)
                // The end offsets partition the body: each event is exactly one piece sent.
                var start = 0
                let bytes = Array(reply.body)
                for (event, piece) in zip(events, pieces) {
                    #expect(String(decoding: bytes[start..<event.end], as: UTF8.self) == piece)
                    start = event.end
                }
                #expect(start == bytes.count)
                #expect(zip(events, events.dropFirst()).allSatisfy { $0.offsetMs <= $1.offsetMs })
                #expect(events.last!.offsetMs > events.first!.offsetMs)
                #expect(events.first?.event == "delta" && events.last?.event == nil)
                #expect(entry.synapse?.backend == "llama-router")
            }
        }
    }

    @Test func storesABinaryAudioResponseOnceWhenRecordedTwice() async throws {
        let wav = Data("RIFF".utf8) + Data((0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let form = {
            var form = MultipartBody()
            form.parts.append(("file", "noisy.wav", "audio/wav", Data(repeating: 3, count: 1000)))
            return form
        }()
        try await Harness.withUpstream({ router in
            router.post("/denoise") { request, _ -> Response in
                _ = try await request.body.collect(upTo: 1 << 20)
                return Response(status: .ok, headers: [.contentType: "audio/wav"], body: .init(byteBuffer: ByteBuffer(bytes: wav)))
            }
        }) { port in
            try await Harness.withRecordingGateway(Harness.config(["deepfilter-audio": port])) { gateway, url, folder in
                for _ in 0..<2 {
                    let reply = try await Harness.withClient { client in
                        try await client.send(.POST, url + "/audio/denoise", headers: [("Content-Type", form.contentType)], body: form.data)
                    }
                    #expect(reply.status == 200 && reply.body == wav)
                }
                await gateway.recorder.flush()
                let entries = try folder.entries()
                #expect(entries.count == 2)
                let reference = try #require(entries.first?.response.content.file)
                #expect(entries.allSatisfy { $0.response.content.file == reference && $0.response.content.text == nil })
                #expect(entries.first?.response.content.size == wav.count)
                #expect(try folder.body(reference) == wav)
                // One response body and one (identical) request body: each stored once.
                #expect(Set(folder.bodyFiles.map(\.lastPathComponent)).count == 2)
                #expect(folder.bodyFiles.count == 2)
            }
        }
    }
    @Test func rotatedFilesAreEachCompleteAndLargeTextGoesToABodyFile() async throws {
        let recording = {
            var recording = RecordingSettings(directory: "")
            recording.maxEntriesPerFile = 2
            recording.maxInlineSize = 64
            return recording
        }()
        let large = Data(("{\"input\":\"" + String(repeating: "x", count: 500) + "\"}").utf8)
        try await Harness.withUpstream({ EchoUpstream.register($0, paths: [(.post, "/v1/embeddings")]) }) { port in
            try await Harness.withRecordingGateway(Harness.config(["llama-embed": port]), recording: recording) { gateway, url, folder in
                try await Harness.withClient { client in
                    for n in 0..<5 {
                        _ = try await client.send(
                            .POST, url + "/v1/embeddings", headers: [("Content-Type", "application/json"), ("X-Request-ID", "rot-\(n)")], body: large)
                        await gateway.recorder.flush()
                        // After every entry, every file on disk is a complete HAR document.
                        let counts = try folder.harFiles.map { try RecordingFolder.document($0).log.entries.count }
                        #expect(counts.reduce(0, +) == n + 1)
                        #expect(counts.allSatisfy { $0 <= 2 })
                    }
                }
                #expect(folder.harFiles.count == 3)
                let entries = try folder.entries()
                #expect(entries.map(\.synapse?.requestID) == (0..<5).map { "rot-\($0)" })
                let postData = try #require(entries.first?.request.postData)
                #expect(postData.text == nil || postData.text == "")
                #expect(try folder.body(postData.file) == large)
                #expect(postData.size == large.count)
                #expect(entries.first?.response.content.file != nil, "the echo of a large body is large too")
            }
        }
    }
}
