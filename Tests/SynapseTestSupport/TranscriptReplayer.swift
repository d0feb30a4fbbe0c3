import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Replays captured exchanges against a running server and reports how its answers differ.
///
/// ```swift
/// let replayer = TranscriptReplayer(baseURL: "http://127.0.0.1:\(port)", policy: .llama,
///                                   renames: [("tiny-chat-a", "Qwen3-8B-Q4_K_M")])
/// let differences = try await replayer.replay(fileAt: Fixture.url("transcripts/llama-server/router_health.json"))
/// #expect(differences.isEmpty, "\(differences)")
/// ```
public struct TranscriptReplayer: Sendable {
    /// Scheme, host and port (and an optional path prefix), without a trailing slash.
    public let baseURL: String
    public let comparator: TranscriptComparator
    /// Name replacements applied to every transcript before it is sent (old → new).
    public let renames: [(old: String, new: String)]
    /// Per-request deadline.
    public let timeout: TimeAmount
    private let client: HTTPClient

    public init(
        baseURL: String,
        policy: TranscriptPolicy = .default,
        renames: [(old: String, new: String)] = [],
        timeout: TimeAmount = .seconds(30),
        client: HTTPClient = .shared
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.comparator = TranscriptComparator(policy: policy)
        self.renames = renames
        self.timeout = timeout
        self.client = client
    }

    /// Loads a transcript file (applying the renames), replays it and returns the differences.
    public func replay(fileAt url: URL) async throws -> [String] {
        try await replay(Transcript.load(url, renames: renames))
    }

    /// Replays one transcript and returns the differences (empty = conformant). A request that
    /// could not be rebuilt exactly is reported as a difference too.
    public func replay(_ transcript: Transcript) async throws -> [String] {
        let problems = transcript.request.problems.map { "request: \($0)" }
        let live: TranscriptComparator.LiveResponse
        do {
            live = try await send(transcript.request)
        } catch {
            return problems + ["no usable response: \(error)"]
        }
        return problems + comparator.differences(recorded: transcript.response, live: live)
    }

    /// Sends a transcript's request as captured and collects the whole response.
    public func send(_ request: Transcript.Request) async throws -> TranscriptComparator.LiveResponse {
        var outgoing = HTTPClientRequest(url: baseURL + request.path)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers {
            outgoing.headers.add(name: name, value: value)
        }
        if let body = request.body {
            outgoing.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await client.execute(outgoing, timeout: timeout)
        var body: [UInt8] = []
        var cutShort = false
        do {
            for try await chunk in response.body {
                body += chunk.readableBytesView
            }
        } catch {
            // A stream that stops without its last chunk is part of what is compared.
            cutShort = true
        }
        return TranscriptComparator.LiveResponse(
            status: Int(response.status.code),
            headers: response.headers.map { ($0.name, $0.value) },
            body: body,
            cutShort: cutShort
        )
    }
}
