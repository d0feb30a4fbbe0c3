import AsyncHTTPClient
import Foundation
import Logging
import NIOHTTP1
import SynapseCore
import SynapseTestSupport
import Testing

@testable import SynapseGateway

#if canImport(Glibc)
    import Glibc
#endif

/// `GET /events`: the ring buffer, resume and filters, and the events a refusing backend causes.
@Suite struct EventFeedTests {
    static func feed(capacity: Int = 1000) -> EventFeed {
        EventFeed(capacity: capacity, logger: Harness.quietLogger, now: { Date(timeIntervalSince1970: 0) })
    }

    @Test func eventsAreNumberedInOrderAndTheBufferKeepsTheNewest() {
        let feed = Self.feed(capacity: 3)
        for attempt in 1...5 { feed.publish(.retry, backend: "llama-embed", [("attempt", .number(Double(attempt)))]) }
        #expect(feed.bufferedEvents.map(\.id) == [3, 4, 5])
        let frame = feed.bufferedEvents[0].frame
        #expect(
            frame
                == "id: 3\nevent: retry\ndata: {\"id\":3,\"type\":\"retry\",\"ts\":\"1970-01-01T00:00:00+00:00\",\"backend\":\"llama-embed\",\"attempt\":3}\n\n"
        )
    }

    @Test func aResumingClientGetsWhatItMissedThatItsFilterAdmits() {
        let feed = Self.feed()
        feed.publish(.breaker, backend: "llama-embed")
        feed.publish(.voice)
        feed.publish(.breaker, backend: "whisper-stt")
        feed.publish(.retry, backend: "llama-embed")
        let filter = GatewayEventFilter(kinds: [.breaker, .retry], backends: ["llama-embed"])
        let (backlog, subscription) = feed.subscribe(filter: filter, after: 1)
        #expect(backlog.map(\.id) == [4])
        #expect(feed.hasListeners)
        let (fresh, other) = feed.subscribe(filter: GatewayEventFilter(), after: nil)
        #expect(fresh.isEmpty, "without Last-Event-ID only live events")
        feed.unsubscribe(subscription)
        feed.unsubscribe(other)
        #expect(!feed.hasListeners)
    }

    @Test func aRefusingBackendShowsItsRetriesAndItsBreakerOpeningOnTheFeed() async throws {
        // A port held by a socket that never listens: connections to it are refused, and no other
        // test's server can take it over while this one runs (as a port merely released could be).
        let reserved = try #require(ReservedPort())
        defer { reserved.release() }
        let port = reserved.port
        let config = Harness.config(["llama-embed": port]) {
            $0.backends[0].retry.delays = [.milliseconds(10)]
            $0.backends[0].breaker.failureThreshold = 2
        }
        try await Harness.withGatewayService(config) { gateway, url in
            try await Harness.withClient { client in
                let stream = try await SSEStream.open(client, url + "/events?types=breaker,retry,request&backend=llama-embed")
                #expect(stream.status == 200 && stream.header("Content-Type") == "text/event-stream; charset=utf-8")
                _ = try await stream.text(whenContaining: "retry: 2000")
                for _ in 0..<2 {
                    _ = try await client.send(
                        .POST, url + "/v1/embeddings", headers: [("Content-Type", "application/json")], body: Data(#"{"input":"x"}"#.utf8))
                }
                let text = try await stream.text(whenContaining: #""to":"open""#)
                #expect(text.contains("event: retry\n") && text.contains(#""cause":"#))
                #expect(text.contains(#""from":"closed","to":"open""#))
                let summary = try await stream.text(whenContaining: "event: request\n")
                #expect(summary.contains(#""route":"/v1/embeddings","status":503"#))
                stream.close()

                // A client that comes back with the last id it saw gets what it missed.
                let breakerID = try #require(gateway.events.bufferedEvents.first { $0.kind == .breaker }?.id)
                let resumed = try await SSEStream.open(client, url + "/events?types=breaker", headers: [("Last-Event-ID", String(breakerID - 1))])
                let replay = try await resumed.text(whenContaining: #""to":"open""#)
                #expect(replay.contains("id: \(breakerID)\nevent: breaker\n"))
                resumed.close()

                let bad = try await client.send(.GET, url + "/events?types=breaker,gossip")
                #expect(bad.status == 400 && bad.text.contains("unknown event type 'gossip'"))
            }
        }
    }
}

/// A loopback port bound by a socket that does not listen: connecting is refused for as long as
/// it is held.
struct ReservedPort {
    let descriptor: Int32
    let port: Int

    init?() {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    func release() { close(descriptor) }
}
