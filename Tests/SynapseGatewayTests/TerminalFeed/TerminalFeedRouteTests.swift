import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import SynapseClock
import SynapseCore
import SynapseMockKit
import SynapseResilience
import Synchronization
import Testing

@testable import SynapseGateway

/// `GET /events/terminal` over real HTTP: a small app serving only the feed route through the
/// gateway's responder, on port 0; keep-alive timed by a virtual clock.
@Suite struct TerminalFeedRouteTests {
    @Test func answers404WhenTheFeedIsNotLive() async throws {
        let feed = TerminalFeed(settings: TerminalFeedSettings(), instance: "synapse-gateway")
        try await Self.withFeedServer(feed, clock: AnyClock(VirtualClock())) { url in
            try await Harness.withClient { client in
                let reply = try await client.send(.GET, url + "/events/terminal")
                #expect(reply.status == 404)
                #expect(reply.header("Content-Type") == "application/json")
                #expect(reply.text == #"{"detail":"Terminal feed is disabled (set SYNAPSE_TERMINAL_FEED_MODE=live)"}"#)
            }
        }
    }

    @Test func streamsMetaThenBacklogThenLiveEventsAndKeepalives() async throws {
        let feed = TerminalFeedTests.feed { $0.keepalive = .seconds(20) }
        feed.publish(source: "httpx", level: .info, message: "old info")
        feed.publish(source: "src.router_llm", level: .warning, message: "old warning")
        feed.publish(source: "httpx", level: .error, message: "old error")
        let clock = VirtualClock()
        try await Self.withFeedServer(feed, clock: AnyClock(clock)) { url in
            try await Harness.withClient { client in
                let stream = try await SSEStream.open(client, url + "/events/terminal?level=warning&backlog=5")
                #expect(stream.status == 200)
                #expect(stream.header("Content-Type") == "text/event-stream; charset=utf-8")
                #expect(stream.header("Cache-Control") == "no-cache, no-transform")
                #expect(stream.header("Connection") == "keep-alive")
                #expect(stream.header("X-Accel-Buffering") == "no")
                let meta = #"event: meta\#ndata: {"instance":"synapse-gateway","mode":"live","bus_mode":"local"}\#n\#n"#
                let opening = try await stream.text(whenContaining: "old error")
                #expect(opening.hasPrefix(meta))
                #expect(Self.messages(in: opening) == ["old warning", "old error"])

                feed.publish(source: "synapse", level: .info, message: "live info is filtered")
                feed.publish(source: "synapse", level: .critical, message: "live critical")
                let live = try await stream.text(whenContaining: "live critical")
                #expect(Self.messages(in: live) == ["old warning", "old error", "live critical"])
                #expect(!live.contains(": keepalive"))

                // No event for the keep-alive interval (the clock is virtual: nothing really waits).
                try await clock.waitForSleepers(count: 1)
                clock.advance(by: .seconds(20))
                let idle = try await stream.text(whenContaining: ": keepalive\n\n")
                #expect(idle.hasSuffix("\n\n: keepalive\n\n"))
                stream.close()
            }
        }
    }

    @Test func sourcesFilterSelectsLoggerNamesExactly() async throws {
        let feed = TerminalFeedTests.feed()
        feed.publish(source: "httpx", level: .info, message: "from httpx")
        feed.publish(source: "httpx.client", level: .info, message: "from a child logger")
        feed.publish(source: "synapse", level: .info, message: "from synapse")
        try await Self.withFeedServer(feed, clock: AnyClock(VirtualClock())) { url in
            try await Harness.withClient { client in
                let stream = try await SSEStream.open(client, url + "/events/terminal?sources=httpx,other&backlog=1")
                feed.publish(source: "synapse", level: .info, message: "live synapse")
                feed.publish(source: "httpx", level: .info, message: "live httpx")
                let text = try await stream.text(whenContaining: "live httpx")
                #expect(Self.messages(in: text) == ["from httpx", "live httpx"])
                stream.close()
            }
        }
    }

    @Test func clientDisconnectRemovesTheSubscriber() async throws {
        let feed = TerminalFeedTests.feed()
        let clock = VirtualClock()
        try await Self.withFeedServer(feed, clock: AnyClock(clock)) { url in
            try await Harness.withClient { client in
                let stream = try await SSEStream.open(client, url + "/events/terminal")
                _ = try await stream.text(whenContaining: "event: meta")
                #expect(feed.subscriberCount == 1)
                stream.close()
                // The server notices on its next write at the latest: keep-alives are driven until
                // the subscriber is gone (bounded; each round waits for the stream to sleep again).
                try await withTimeout(.seconds(10)) {
                    while feed.subscriberCount > 0 {
                        if clock.sleeperCount > 0 { clock.advance(by: .seconds(15)) }
                        try await Task.sleep(for: .milliseconds(5))
                    }
                }
                #expect(feed.subscriberCount == 0)
            }
        }
    }

    // MARK: Helpers

    /// The `message` of every `event: log` frame in `text`, in order.
    static func messages(in text: String) -> [String] {
        text.components(separatedBy: "\n\n").compactMap { frame -> String? in
            guard frame.hasPrefix("event: log\ndata: ") else { return nil }
            let data = frame.dropFirst("event: log\ndata: ".count)
            return (try? JSONValue.parse(Array(data.utf8)))?["message"]?.stringValue
        }
    }

    /// Serves the feed route alone through `GatewayResponder` on a loopback port 0.
    static func withFeedServer<T: Sendable>(_ feed: TerminalFeed, clock: AnyClock, _ body: @Sendable (String) async throws -> T) async throws -> T {
        var table = RouteTable()
        TerminalFeedRoute(feed: feed, clock: clock).register(in: &table)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            responder: GatewayResponder(routes: table, logger: Harness.quietLogger, metrics: GatewayMetrics()),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) },
            logger: Harness.quietLogger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            defer { group.cancelAll() }
            return try await body("http://127.0.0.1:\(port)")
        }
    }
}

/// An open event stream whose body is collected in the background, so a test can wait for text
/// to arrive (polled in short steps, bounded by a timeout) and then close the connection.
final class SSEStream: Sendable {
    let status: Int
    private let headers: [(String, String)]
    /// The body so far (a class, so the reader task and the test share it).
    private final class Received: Sendable {
        let text = Mutex("")
    }

    private let received = Received()
    private let reader: Task<Void, Never>

    private init(status: Int, headers: [(String, String)], body: HTTPClientResponse.Body) {
        self.status = status
        self.headers = headers
        let received = received
        // Cancelled by `close()` (which makes the client drop the connection) or ends with the body.
        reader = Task {
            do {
                for try await chunk in body {
                    received.text.withLock { $0 += String(buffer: chunk) }
                }
            } catch {}
        }
    }

    static func open(_ client: HTTPClient, _ url: String, headers: [(String, String)] = []) async throws -> SSEStream {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: .seconds(30))
        return SSEStream(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: response.body)
    }

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// Everything received so far, once it contains `marker` (waiting at most 10 s).
    func text(whenContaining marker: String) async throws -> String {
        try await withTimeout(.seconds(10)) { [received] in
            while true {
                let text = received.text.withLock { $0 }
                if text.contains(marker) { return text }
                try await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    func close() {
        reader.cancel()
    }

    deinit { reader.cancel() }
}
