import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SynapseClock
import SynapseCore

/// `GET /events`: the gateway's typed events as server-sent events.
///
/// ```
/// retry: 2000                 the client's reconnect delay
/// id: 41 / event: breaker …   with Last-Event-ID: 40, the buffered events after 40 first
/// id: 42 / event: retry …     then live events, as they happen
/// : keepalive                 after 15 s without an event
/// ```
/// Query: `types=breaker,retry` and `backend=llama-embed` (comma-separated, default all);
/// `lastEventId=N` stands in for the header (a browser's `EventSource` sends the header itself
/// when it reconnects).
public struct EventFeedRoute: Sendable {
    public static let path = "/events"
    static let keepalive: Duration = .seconds(15)

    let feed: EventFeed
    let clock: AnyClock

    /// - Parameter clock: times the keep-alive comments; tests pass a virtual clock.
    public init(feed: EventFeed, clock: AnyClock = .continuous) {
        self.feed = feed
        self.clock = clock
    }

    public func register(in table: inout RouteTable) {
        table.add(.get, Self.path) { request, _ in
            try respond(to: request)
        }
    }

    func respond(to request: Request) throws -> Response {
        let parameters = request.uri.queryParameters
        var filter = GatewayEventFilter()
        if let types = parameters["types"].map(String.init) {
            var kinds = Set<GatewayEvent.Kind>()
            for name in types.split(separator: ",") {
                guard let kind = GatewayEvent.Kind(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    let known = GatewayEvent.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                    throw GatewayError.invalidRequest("unknown event type '\(name)' (known: \(known))")
                }
                kinds.insert(kind)
            }
            filter.kinds = kinds
        }
        if let backends = parameters["backend"].map(String.init) {
            filter.backends = Set(backends.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        }
        let resumeText = request.headers[HTTPField.Name("Last-Event-ID")!] ?? parameters["lastEventId"].map(String.init)
        var lastID: UInt64?
        if let resumeText {
            guard let value = UInt64(resumeText.trimmingCharacters(in: .whitespaces)) else {
                throw GatewayError.invalidRequest("Last-Event-ID '\(resumeText)' is not an event id")
            }
            lastID = value
        }
        let (resume, admitted) = (lastID, filter)
        let headers: HTTPFields = [
            .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache, no-transform",
            HTTPField.Name("X-Accel-Buffering")!: "no",
        ]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { [feed, clock] writer in
                let (backlog, subscription) = feed.subscribe(filter: admitted, after: resume)
                defer { feed.unsubscribe(subscription) }
                try await writer.write(ByteBuffer(string: "retry: 2000\n\n" + backlog.map(\.frame).joined()))
                try await subscription.pump(into: &writer, keepalive: Self.keepalive, on: clock, keepaliveFrame: ": keepalive\n\n") { $0.frame }
                try await writer.finish(nil)
            })
    }
}
