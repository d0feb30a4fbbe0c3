import AsyncHTTPClient
import Foundation
import MockPlayback
import NIOCore
import NIOHTTP1
import SynapseHAR
import SynapseMockKit

/// Requests to a playback server, and the servers themselves, for the tests.
enum PlaybackHTTP {
    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var body: [UInt8]
        /// When each body chunk arrived, from the moment the head did, with the body length so far.
        var chunks: [(at: Duration, end: Int)] = []
        /// From sending the request to the head's arrival.
        var timeToHead: Duration = .zero

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Sends one request and reads the whole answer, timing the head and each chunk on the
    /// continuous clock.
    static func send(
        _ url: String, method: HTTPMethod = .GET, body: String? = nil, bytes: [UInt8]? = nil, headers: [(String, String)] = []
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        if let bytes { request.body = .bytes(ByteBuffer(bytes: bytes)) }
        let clock = ContinuousClock()
        let sent = clock.now
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let head = clock.now
        var reply = Reply(status: Int(response.status.code), headers: response.headers, body: [], timeToHead: sent.duration(to: head))
        for try await chunk in response.body {
            reply.body += chunk.readableBytesView
            reply.chunks.append((head.duration(to: clock.now), reply.body.count))
        }
        return reply
    }

    /// A playback server for `backend` over the recording's entries (all of them mapped to it
    /// at their own path when they carry no `_synapse`).
    static func server(
        _ archive: HARArchive, backend: String = "llama-embed", configuration: PlaybackServer.Configuration = .init(),
        time: MockTime = .system
    ) -> PlaybackServer {
        let routing = PlaybackRouting { _, target in .init(backend: backend, target: target) }
        let library = PlaybackLibrary(archive: archive, routing: routing)
        return PlaybackServer(
            name: backend, backendType: "openai-compatible", healthPath: "/health", entries: library.entries(for: backend),
            configuration: configuration, time: time)
    }
}
