import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import SynapseCore
import Synchronization
import Testing

@testable import SynapseGateway

/// Streamed responses reach the client incrementally: the client holds each piece before the
/// upstream has produced the next (driven by events, not sleeps).
@Suite struct StreamingRelayTests {
    /// An upstream whose handler writes piece i only after `release(i)` was called.
    final class Gate: Sendable {
        /// One lock for both: with two, a `release` between `wait`'s check and its registering
        /// the continuation was lost, and the waiter waited forever (a test of the full suite
        /// hung so, once, under load).
        private let state = Mutex<(released: Set<Int>, waiting: [Int: CheckedContinuation<Void, Never>])>(([], [:]))
        let cancelled = Mutex<Bool>(false)

        func wait(for piece: Int) async {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state in
                    if state.released.contains(piece) { return true }
                    state.waiting[piece] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }

        func release(_ piece: Int) {
            let waiter = state.withLock { state in
                state.released.insert(piece)
                return state.waiting.removeValue(forKey: piece)
            }
            waiter?.resume()
        }
    }

    static func streamingUpstream(_ router: Router<BasicRequestContext>, path: String, contentType: String, pieces: [String], gate: Gate) {
        router.post(RouterPath(path)) { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: contentType],
                body: ResponseBody { writer in
                    for (index, piece) in pieces.enumerated() {
                        if index > 0 { await gate.wait(for: index) }
                        do {
                            try await writer.write(ByteBuffer(string: piece))
                        } catch {
                            gate.cancelled.withLock { $0 = true }
                            throw error
                        }
                    }
                    try await writer.finish(nil)
                })
        }
    }

    func relay(route: String, backend: String, backendPath: String, contentType: String, body: Data, requestContentType: String) async throws {
        let gate = Gate()
        let pieces = (0..<3).map { contentType.hasPrefix("text/event-stream") ? "data: {\"n\":\($0)}\n\n" : String(repeating: "\($0)", count: 1000) }
        try await Harness.withUpstream({ Self.streamingUpstream($0, path: backendPath, contentType: contentType, pieces: pieces, gate: gate) }) { port in
            try await Harness.withGateway(Harness.config([backend: port])) { gateway in
                try await Harness.withClient { client in
                    var request = HTTPClientRequest(url: gateway + route)
                    request.method = .POST
                    request.headers.add(name: "Content-Type", value: requestContentType)
                    request.body = .bytes(ByteBuffer(bytes: body))
                    let response = try await client.execute(request, timeout: .seconds(20))
                    #expect(response.status == .ok)
                    var received = ""
                    var nextPiece = 1
                    for try await chunk in response.body {
                        received += String(buffer: chunk)
                        // The client already holds everything up to piece `nextPiece - 1`;
                        // only now may the upstream produce the next piece.
                        while nextPiece < pieces.count, received == pieces[..<nextPiece].joined() {
                            gate.release(nextPiece)
                            nextPiece += 1
                        }
                    }
                    #expect(received == pieces.joined())
                    #expect(nextPiece == pieces.count, "every piece reached the client before the next one was produced")
                }
            }
        }
    }

    @Test func chatCompletionEventsArriveOneByOne() async throws {
        try await relay(
            route: "/v1/chat/completions", backend: "llama-router", backendPath: "/v1/chat/completions",
            contentType: "text/event-stream", body: Data(#"{"model":"m","stream":true,"messages":[]}"#.utf8),
            requestContentType: "application/json")
    }

    @Test func transcriptionEventsArriveOneByOne() async throws {
        var form = MultipartBody()
        form.parts.append(("file", "a.wav", "audio/wav", Data(repeating: 1, count: 100)))
        try await relay(
            route: "/stt/stream", backend: "whisper-stt", backendPath: "/stream",
            contentType: "text/event-stream; charset=utf-8", body: form.data, requestContentType: form.contentType)
    }

    @Test func chunkedAudioArrivesChunkByChunk() async throws {
        var form = MultipartBody()
        form.parts.append(("file", "a.wav", "audio/wav", Data(repeating: 1, count: 100)))
        try await relay(
            route: "/audio/denoise", backend: "deepfilter-audio", backendPath: "/denoise",
            contentType: "audio/wav", body: form.data, requestContentType: form.contentType)
    }

    @Test func clientThatLeavesMidStreamCancelsTheUpstream() async throws {
        let cut = Gate()
        try await Harness.withUpstream({ router in
            // Streams an event every 10 ms (for at most 10 s) until a write fails.
            router.post("/v1/chat/completions") { _, _ -> Response in
                Response(
                    status: .ok, headers: [.contentType: "text/event-stream"],
                    body: ResponseBody { writer in
                        for index in 0..<1000 {
                            do {
                                try await writer.write(ByteBuffer(string: "data: {\"n\":\(index)}\n\n"))
                            } catch {
                                cut.release(0)
                                throw error
                            }
                            try await Task.sleep(for: .milliseconds(10))
                        }
                        try await writer.finish(nil)
                    })
            }
        }) { port in
            try await Harness.withGateway(Harness.config(["llama-router": port])) { gateway in
                try await Harness.withClient { client in
                    var request = HTTPClientRequest(url: gateway + "/v1/chat/completions")
                    request.method = .POST
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .bytes(ByteBuffer(string: #"{"stream":true}"#))
                    let response = try await client.execute(request, timeout: .seconds(20))
                    var iterator = response.body.makeAsyncIterator()
                    let first = try await iterator.next()
                    #expect(first.map { String(buffer: $0) }?.hasPrefix("data: {\"n\":0}") == true)
                    // Leave: dropping the response cancels the client's request and closes its connection.
                }
                // The upstream's writes fail once the gateway has cancelled its request; the stream
                // would otherwise run for 10 s, past this bound.
                try await withTimeout(.seconds(5)) { await cut.wait(for: 0) }
            }
        }
    }
}

/// Runs `body`, failing with `TimeoutError` if it takes longer than `limit`.
func withTimeout<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        guard let first = try await group.next(), let value = first else {
            group.cancelAll()
            throw TimeoutError()
        }
        group.cancelAll()
        return value
    }
}

struct TimeoutError: Error {}
