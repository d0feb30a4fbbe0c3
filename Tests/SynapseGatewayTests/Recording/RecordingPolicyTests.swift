import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import SynapseCore
import SynapseHAR
import Testing

@testable import SynapseGateway

/// What recording leaves out (secrets, unsampled and filtered requests, exchanges that do not
/// fit the buffer), how it is switched at run time, and that its files survive shutdown.
@Suite struct RecordingPolicyTests {
    static let apiKey = "sk-live-apikey-4f1c9e"
    static let secrets = [
        apiKey, "bearer-token-77ab21", "cookie-secret-5d3e", "header-secret-a90f", "query-secret-61c2", "set-cookie-secret-2b8e",
        "upstream-token-c4d7",
    ]

    @Test func secretsAreNeverWritten() async throws {
        try await Harness.withUpstream({ router in
            router.post("/v1/embeddings") { request, _ -> Response in
                _ = try await request.body.collect(upTo: 1 << 20)
                return Response(
                    status: .ok,
                    headers: [.contentType: "application/json", .setCookie: "sid=set-cookie-secret-2b8e; Path=/; HttpOnly"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"data":[]}"#)))
            }
        }) { port in
            var config = Harness.config(["llama-embed": port])
            config.gateway.apiKeys = [Self.apiKey, "bearer-token-77ab21"]
            let recording = {
                var recording = RecordingSettings(directory: "")
                recording.redactHeaders = ["x-upstream-token", "X-Secret-Thing"]
                return recording
            }()
            try await Harness.withRecordingGateway(config, recording: recording) { gateway, url, folder in
                let credentials: [[(String, String)]] = [
                    [("X-API-Key", Self.apiKey)],
                    [("Authorization", "Bearer bearer-token-77ab21")],
                ]
                for credential in credentials {
                    let headers =
                        credential + [
                            ("Content-Type", "application/json"), ("Cookie", "theme=dark; session=cookie-secret-5d3e"),
                            ("X-Secret-Thing", "header-secret-a90f"), ("X-Upstream-Token", "upstream-token-c4d7"),
                        ]
                    let reply = try await Harness.withClient { client in
                        try await client.send(.POST, url + "/v1/embeddings?api_key=query-secret-61c2&n=2", headers: headers, body: Data("{}".utf8))
                    }
                    #expect(reply.status == 200)
                }
                await gateway.recorder.flush()
                let entries = try folder.entries()
                #expect(entries.count == 2)
                let files = folder.allFiles
                #expect(!files.isEmpty)
                for file in files {
                    let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
                    for secret in Self.secrets {
                        #expect(!text.contains(secret), "\(secret) written to \(file.lastPathComponent)")
                    }
                }
                let entry = try #require(entries.first)
                #expect(entry.request.headers.first { $0.name.lowercased() == "x-api-key" }?.value == HARRedactor.placeholder)
                #expect(entry.request.cookies.map(\.name) == ["theme", "session"])
                #expect(entry.response.cookies.map(\.name) == ["sid"])
                #expect(entry.request.queryString.first { $0.name == "api_key" }?.value == HARRedactor.placeholder)
                #expect(entry.request.queryString.first { $0.name == "n" }?.value == "2")
                let redacted = Set(try #require(entry.synapse?.redacted))
                #expect(redacted == ["x-api-key", "cookie", "x-secret-thing", "x-upstream-token", "set-cookie"])
                #expect(entries.last?.synapse?.redacted?.contains("authorization") == true)
            }
        }
    }

    @Test func aSampleRateOfZeroRecordsNothing() async throws {
        let recording = {
            var recording = RecordingSettings(directory: "")
            recording.sampleRate = 0
            return recording
        }()
        try await Harness.withRecordingGateway(Harness.config([:]), recording: recording) { gateway, url, folder in
            for _ in 0..<5 {
                _ = try await Harness.withClient { client in try await client.send(.GET, url + "/api/backend-routes") }
            }
            await gateway.recorder.flush()
            #expect(folder.harFiles.isEmpty)
            #expect(gateway.recorder.status.entriesWritten == 0)
        }
    }

    @Test func theRouteFilterExcludesOtherRoutes() async throws {
        let recording = {
            var recording = RecordingSettings(directory: "")
            recording.routes = ["/openapi.json", "/voices/{voice_id}"]
            return recording
        }()
        try await Harness.withRecordingGateway(Harness.config([:]), recording: recording) { gateway, url, folder in
            try await Harness.withClient { client in
                _ = try await client.send(.GET, url + "/api/backend-routes")
                _ = try await client.send(.GET, url + "/openapi.json")
                _ = try await client.send(.GET, url + "/voices/nobody")
                _ = try await client.send(.GET, url + "/metrics")
            }
            await gateway.recorder.flush()
            let entries = try folder.entries()
            #expect(entries.map { URL(string: $0.request.url)?.path } == ["/openapi.json", "/voices/nobody"])
            #expect(entries.last?.synapse?.route == "/voices/{voice_id}")
            // Requests without a body are sent with their head: the handler's time is all `wait`.
            #expect(entries.allSatisfy { $0.timings.send == 0 && $0.timings.wait > 0 })
        }
    }

    @Test func aFullBufferDropsTheExchangeWithoutHoldingUpTheRequest() async throws {
        let upload = Data(repeating: 9, count: 8 << 20)
        let form = {
            var form = MultipartBody()
            form.parts.append(("file", "long.wav", "audio/wav", upload))
            return form
        }()
        let recording = {
            var recording = RecordingSettings(directory: "")
            // Smaller than any chunk of an 8 MiB upload: the first one does not fit.
            recording.bufferSize = 512
            return recording
        }()
        try await Harness.withUpstream({ router in
            router.post("/transcribe") { request, _ -> String in
                let body = try await request.body.collect(upTo: 64 << 20)
                return #"{"bytes":\#(body.readableBytes)}"#
            }
        }) { port in
            try await Harness.withRecordingGateway(Harness.config(["whisper-stt": port]), recording: recording) { gateway, url, folder in
                let reply = try await Harness.withClient { client in
                    try await client.send(.POST, url + "/stt/transcribe", headers: [("Content-Type", form.contentType)], body: form.data)
                }
                #expect(reply.status == 200)
                #expect(reply.text == #"{"bytes":\#(form.data.count)}"#)
                await gateway.recorder.flush()
                #expect(gateway.recorder.status.dropped == 1)
                #expect(folder.harFiles.isEmpty)
                #expect(folder.bodyFiles.isEmpty, "no partial body file is left")
                let metrics = try await Harness.withClient { client in try await client.send(.GET, url + "/metrics") }
                #expect(metrics.text.contains("synapse_recording_dropped_total 1"))
            }
        }
    }

    @Test func theAdminAPIStartsReportsAndStopsRecording() async throws {
        var config = Harness.config([:])
        config.gateway.insecureLocalAdmin = true
        let folder = RecordingFolder()
        defer { folder.remove() }
        try await Harness.withRecordingGateway(config, recording: nil) { gateway, url, _ in
            try await Harness.withClient { client in
                let off = try await client.send(.GET, url + "/admin/recording")
                #expect(off.status == 200 && off.json?["recording"] as? Bool == false)

                let bad = try await client.send(.POST, url + "/admin/recording", body: Data(#"{"dir":"\#(folder.path)","sample":2}"#.utf8))
                #expect(bad.status == 422)
                #expect((bad.json?["detail"] as? String)?.contains("sample") == true)
                let notJSON = try await client.send(.POST, url + "/admin/recording", body: Data("dir=x".utf8))
                #expect(notJSON.status == 400 && notJSON.json?["detail"] is String)
                let noDir = try await client.send(.POST, url + "/admin/recording", body: Data(#"{"sample":1}"#.utf8))
                #expect(noDir.status == 422)

                let started = try await client.send(
                    .POST, url + "/admin/recording", body: Data(#"{"dir":"\#(folder.path)","sample":1,"routes":["/api/backend-routes"]}"#.utf8))
                #expect(started.status == 200)
                #expect(started.json?["recording"] as? Bool == true && started.json?["routes"] as? [String] == ["/api/backend-routes"])
                _ = try await client.send(.GET, url + "/api/backend-routes")
                await gateway.recorder.flush()
                let status = try await client.send(.GET, url + "/admin/recording")
                #expect(status.json?["entries"] as? Int == 1)
                #expect(status.json?["dropped"] as? Int == 0)
                #expect((status.json?["file"] as? String)?.hasSuffix(".har") == true)

                let stopped = try await client.send(.DELETE, url + "/admin/recording")
                #expect(stopped.status == 200 && stopped.json?["recording"] as? Bool == false)
                #expect(stopped.json?["file"] is NSNull)
                _ = try await client.send(.GET, url + "/api/backend-routes")
                await gateway.recorder.flush()
            }
            #expect(try folder.entries().count == 1, "nothing is recorded after the stop")
        }
    }

    @Test func theAdminAPIIsClosedWithoutItsToken() async throws {
        var config = Harness.config([:])
        config.gateway.adminToken = "admin-token-1"
        try await Harness.withRecordingGateway(config, recording: nil) { _, url, _ in
            let reply = try await Harness.withClient { client in
                try await client.send(.POST, url + "/admin/recording", body: Data(#"{"dir":"/tmp/x"}"#.utf8))
            }
            #expect(reply.status == 401)
        }
    }

    @Test func theHARFileIsCompleteAfterGracefulShutdown() async throws {
        let folder = RecordingFolder()
        defer { folder.remove() }
        var config = Harness.config([:])
        config.gateway.drainWindow = .zero
        config.gateway.voiceLibraryDir = folder.url.appendingPathComponent("voices").path
        config.gateway.recording = RecordingSettings(directory: folder.path)
        let gateway = try await Harness.withServiceGroup(config) { port, group in
            try await Harness.withClient { client in
                for _ in 0..<3 { _ = try await client.send(.GET, "http://127.0.0.1:\(port)/api/backend-routes") }
            }
            // No flush: shutdown itself writes what is buffered and closes the file.
            await group.triggerGracefulShutdown()
        }
        let entries = try folder.entries()
        #expect(entries.count == 3)
        #expect(gateway.recorder.status.isRecording == false)
    }
}
