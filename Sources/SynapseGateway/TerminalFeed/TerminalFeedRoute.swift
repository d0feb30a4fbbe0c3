import HTTPTypes
import Hummingbird
import NIOCore
import SynapseClock
import SynapseCore
import SynapseResilience

/// `GET /events/terminal`: the terminal feed as server-sent events.
///
/// ```
/// event: meta            {"instance":…,"mode":"live","bus_mode":"local"}
/// event: log   × backlog the newest matching buffered events, oldest first
/// event: log   …         live events that pass the filters
/// : keepalive            after max(5 s, keepalive) without an event
/// ```
/// With the feed not live it answers 404, as the original. The stream ends when the client goes
/// away (a failed write or a cancelled task), which removes the subscriber, or at graceful
/// shutdown, which ends it cleanly.
public struct TerminalFeedRoute: Sendable {
    public static let path = "/events/terminal"
    static let disabledDetail = "Terminal feed is disabled (set SYNAPSE_TERMINAL_FEED_MODE=live)"
    static let keepaliveFrame = ": keepalive\n\n"

    let feed: TerminalFeed
    let clock: AnyClock

    /// - Parameter clock: times the keep-alive comments; tests pass a virtual clock.
    public init(feed: TerminalFeed, clock: AnyClock = .continuous) {
        self.feed = feed
        self.clock = clock
    }

    public func register(in table: inout RouteTable) {
        table.add(.get, Self.path) { request, _ in
            respond(to: request)
        }
    }

    func respond(to request: Request) -> Response {
        guard feed.settings.isLive else {
            return .json(.obj(("detail", .string(Self.disabledDetail))), style: .pythonCompact, status: .notFound)
        }
        let parameters = request.uri.queryParameters
        let query = TerminalFeedQuery(
            sources: parameters["sources"].map(String.init), level: parameters["level"].map(String.init),
            backlog: parameters["backlog"].map(String.init), settings: feed.settings)
        let headers: HTTPFields = [
            .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache, no-transform",
            .connection: "keep-alive", HTTPField.Name("X-Accel-Buffering")!: "no",
        ]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { [feed, clock] writer in
                let (backlog, subscription) = feed.subscribe(filter: query.filter, backlog: query.backlog)
                defer { feed.unsubscribe(subscription) }
                var opening = TerminalFeedEvent.frame(name: "meta", data: Self.meta(feed))
                for event in backlog { opening += event.frame }
                try await writer.write(ByteBuffer(string: opening))
                try await subscription.pump(into: &writer, keepalive: feed.keepalive, on: clock, keepaliveFrame: Self.keepaliveFrame) { $0.frame }
                try await writer.finish(nil)
            })
    }

    /// The opening frame's data. Redis is not implemented, so the bus is always `local`.
    static func meta(_ feed: TerminalFeed) -> JSONValue {
        .obj(("instance", .string(feed.instance)), ("mode", .string("live")), ("bus_mode", .string("local")))
    }
}
