import Foundation
import Logging
import SynapseClock
import SynapseCore
import SynapseMockKit
import SynapseResilience
import Testing

@testable import SynapseGateway

/// The feed itself: event shape, ring buffer, subscriber queues, filters and backlog.
@Suite struct TerminalFeedTests {
    static let epoch = Date(timeIntervalSince1970: 1_790_000_000.5)

    static func feed(configure: (inout TerminalFeedSettings) -> Void = { _ in }) -> TerminalFeed {
        var settings = TerminalFeedSettings()
        settings.mode = "live"
        configure(&settings)
        return TerminalFeed(settings: settings, instance: "synapse-gateway", now: { epoch })
    }

    /// The message of every event, in order.
    static func messages(_ events: [TerminalFeedEvent]) -> [String] { events.map(\.message) }

    // MARK: Events

    @Test func eventIsWrittenAsTheOriginalWritesIt() throws {
        let feed = Self.feed()
        feed.publish(source: "httpx", level: .info, message: "HTTP Request: GET café ✓ \"HTTP/1.1 200 OK\"")
        let event = try #require(feed.bufferedEvents.first)
        #expect(
            event.frame == """
                event: log
                data: {"ts":"2026-09-21T14:13:20.500000+00:00","source":"httpx","level":"INFO","message":"HTTP Request: GET caf\\u00e9 \\u2713 \\"HTTP/1.1 200 OK\\"","instance":"synapse-gateway"}


                """)
    }

    @Test(arguments: [
        (1_790_000_000.5, "2026-09-21T14:13:20.500000+00:00"),
        (1_790_000_000, "2026-09-21T14:13:20+00:00"),
        (0, "1970-01-01T00:00:00+00:00"),
        (951_782_400.25, "2000-02-29T00:00:00.250000+00:00"),
        (4_102_444_800.123456, "2100-01-01T00:00:00.123456+00:00"),
    ])
    func timestampsMatchPythonsIsoformat(seconds: Double, text: String) {
        #expect(ProfileFile.isoformat(Date(timeIntervalSince1970: seconds)) == text)
    }

    @Test func publishSanitisesMessageAndSource() throws {
        let feed = Self.feed()
        feed.publish(source: " src.router_llm ", level: .warning, message: "retry\nwith Authorization: Bearer abc")
        let event = try #require(feed.bufferedEvents.first)
        #expect(event.source == "src.router_llm")
        #expect(event.message == "retry \\n with Authorization: Bearer [REDACTED]")
        #expect(event.level == .warning)
        #expect(event.instance == "synapse-gateway")
    }

    // MARK: Buffers

    @Test func ringBufferKeepsTheNewestEventsWithAFloorOfTen() {
        let feed = Self.feed { $0.bufferSize = 3 }
        for index in 1...15 { feed.publish(source: "s", level: .info, message: "\(index)") }
        #expect(Self.messages(feed.bufferedEvents) == (6...15).map(String.init))
    }

    @Test func fullSubscriberQueueDropsTheOldestAndCountsIt() async {
        let feed = Self.feed { $0.subscriberQueueSize = 1 }
        let (_, subscription) = feed.subscribe(filter: TerminalFeedFilter(), backlog: 1)
        for index in 1...13 { feed.publish(source: "s", level: .info, message: "\(index)") }
        #expect(subscription.queued == 10)
        #expect(subscription.dropped == 3)
        #expect(feed.droppedEvents == 3)
        var received: [String] = []
        for _ in 0..<10 {
            if case .event(let event) = await subscription.next(within: .seconds(5), on: AnyClock(VirtualClock())) { received.append(event.message) }
        }
        #expect(received == (4...13).map(String.init))
    }

    @Test func subscribersReceiveOnlyWhatTheirFilterAdmits() async {
        let feed = Self.feed()
        let (_, subscription) = feed.subscribe(filter: TerminalFeedFilter(sources: ["httpx"], minimumLevel: .warning), backlog: 1)
        feed.publish(source: "httpx", level: .info, message: "too quiet")
        feed.publish(source: "synapse", level: .error, message: "other source")
        feed.publish(source: "httpx", level: .error, message: "wanted")
        feed.publish(source: "httpx", level: .debug, message: "debug")
        #expect(subscription.queued == 1)
        guard case .event(let event) = await subscription.next(within: .seconds(5), on: AnyClock(VirtualClock())) else {
            Issue.record("expected an event")
            return
        }
        #expect(event.message == "wanted")
    }

    @Test func backlogIsTheNewestMatchingEventsOldestFirst() {
        let feed = Self.feed()
        for index in 1...6 { feed.publish(source: index.isMultiple(of: 2) ? "httpx" : "synapse", level: .info, message: "\(index)") }
        let (backlog, _) = feed.subscribe(filter: TerminalFeedFilter(sources: ["httpx"]), backlog: 2)
        #expect(Self.messages(backlog) == ["4", "6"])
        let (all, _) = feed.subscribe(filter: TerminalFeedFilter(), backlog: 500)
        #expect(Self.messages(all) == (1...6).map(String.init))
        #expect(feed.subscriberCount == 2)
    }

    @Test func unsubscribeRemovesTheSubscriberAndStopsDelivery() {
        let feed = Self.feed()
        let (_, subscription) = feed.subscribe(filter: TerminalFeedFilter(), backlog: 1)
        feed.unsubscribe(subscription)
        feed.publish(source: "s", level: .info, message: "late")
        #expect(feed.subscriberCount == 0)
        #expect(subscription.queued == 0)
    }

    // MARK: Waiting

    @Test func waitingSubscriberGetsAnEventOrIdlesAfterTheKeepalive() async throws {
        let feed = Self.feed()
        let clock = VirtualClock()
        let (_, subscription) = feed.subscribe(filter: TerminalFeedFilter(), backlog: 1)
        async let first = subscription.next(within: .seconds(15), on: AnyClock(clock))
        try await clock.waitForSleepers(count: 1)
        feed.publish(source: "s", level: .info, message: "live")
        guard case .event(let event) = await first else {
            Issue.record("expected the live event")
            return
        }
        #expect(event.message == "live")

        async let second = subscription.next(within: .seconds(15), on: AnyClock(clock))
        try await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(15))
        guard case .idle = await second else {
            Issue.record("expected idle after the keep-alive interval")
            return
        }
    }

    @Test func closingEndsAWaitingSubscriber() async throws {
        let feed = Self.feed()
        let clock = VirtualClock()
        let (_, subscription) = feed.subscribe(filter: TerminalFeedFilter(), backlog: 1)
        async let next = subscription.next(within: .seconds(15), on: AnyClock(clock))
        try await clock.waitForSleepers(count: 1)
        subscription.close()
        guard case .closed = await next else {
            Issue.record("expected closed")
            return
        }
    }

    @Test func settingsMinimumsAreApplied() {
        let feed = Self.feed { settings in
            settings.bufferSize = 1
            settings.subscriberQueueSize = 2
            settings.keepalive = .seconds(1)
        }
        #expect(feed.bufferCapacity == 10)
        #expect(feed.queueCapacity == 10)
        #expect(feed.keepalive == .seconds(5))
        #expect(Self.feed().keepalive == .seconds(15))
    }
}

/// Log records reaching the feed through swift-log.
@Suite struct TerminalFeedLogHandlerTests {
    @Test func recordsAtInfoAndAboveArePublishedWithTheirMetadata() {
        let feed = TerminalFeedTests.feed()
        var logger = Logger(label: "synapse") { TerminalFeedLogHandler(label: $0, feed: feed, metadataProvider: nil) }
        logger.logLevel = .trace
        logger[metadataKey: "synapse.instance"] = "a"
        logger.trace("trace")
        logger.debug("debug")
        logger.info("request", metadata: ["http.status": "200", "http.method": "GET"])
        logger.notice("notice")
        logger.warning("warning")
        logger.error("error")
        logger.critical("critical")
        let events = feed.bufferedEvents
        #expect(events.map(\.level) == [.info, .info, .warning, .error, .critical])
        #expect(events.map(\.source) == Array(repeating: "synapse", count: 5))
        #expect(events.first?.message == "request http.method=GET http.status=200 synapse.instance=a")
        #expect(events.last?.message == "critical synapse.instance=a")
    }

    @Test(arguments: [
        (Logger.Level.trace, TerminalFeedLevel.debug), (.debug, .debug), (.info, .info), (.notice, .info),
        (.warning, .warning), (.error, .error), (.critical, .critical),
    ])
    func swiftLogLevelsMapToTheOriginalsNames(level: Logger.Level, feedLevel: TerminalFeedLevel) {
        #expect(TerminalFeedLogHandler.level(level) == feedLevel)
    }
}
