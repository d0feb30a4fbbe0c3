import Hummingbird
import NIOCore
import SynapseCore
import SynapseMockKit
import Synchronization

/// A mock backend that answers with a recording instead of computing its answers: served by
/// `MockHost` like any mock, so faults, the journal and the control API apply on top.
///
/// ```
/// request ─▶ JournalRecorder ─▶ FaultInjector ─▶ PlaybackResponder
///              PlaybackMatcher: method + path + body (BodyMatch), query as tie-breaker
///              ├─ match ─▶ RoundRobin picks the entry ─▶ PlaybackAnswer (timing, events)
///              ├─ a fallback mock ─▶ its own routes answer
///              ├─ GET healthPath, not recorded ─▶ 200 {"status":"ok"}
///              └─ no match ─▶ PlaybackMiss: unmatchedStatus, the closest recorded request
/// ```
///
/// A health check the recording does not hold is answered `200 {"status":"ok"}`, so a gateway
/// in front keeps the backend in service; a recorded one is played back like any entry.
///
/// The optional fallback is the backend's synthetic mock: it answers what the recording does
/// not hold, such as the calls a gateway makes on its own (`GET /models` and `POST /models/load`
/// before a chat), which a recording of client traffic never contains.
public final class PlaybackServer: MockServer {
    /// How to play back.
    public struct Configuration: Sendable {
        /// Recorded waits and event offsets, or none. Default `.recorded`.
        public var timing: PlaybackTiming
        /// How request bodies are compared. Default `.exact`.
        public var bodyMatch: BodyMatch
        /// The status of the answer to an unmatched request. Default 404.
        public var unmatchedStatus: Int

        public init(timing: PlaybackTiming = .recorded, bodyMatch: BodyMatch = .exact, unmatchedStatus: Int = 404) {
            self.timing = timing
            self.bodyMatch = bodyMatch
            self.unmatchedStatus = unmatchedStatus
        }
    }

    public let name: String
    public let backendType: String
    public let healthPath: String
    public let configuration: Configuration
    /// What this server plays back, in recording order.
    public var entries: [PlaybackEntry] { matcher.entries }
    /// Answers unmatched requests when set.
    public let fallback: (any MockServer)?
    let matcher: PlaybackMatcher
    let time: MockTime
    let rotation = Mutex(RoundRobin())

    /// A playback server standing in for the backend `name` (its `type` and health path as in the
    /// mock catalogue), answering with `entries` on `time`.
    public init(
        name: String, backendType: String, healthPath: String, entries: [PlaybackEntry], configuration: Configuration = .init(),
        fallback: (any MockServer)? = nil, time: MockTime = .system
    ) {
        self.name = name
        self.backendType = backendType
        self.healthPath = healthPath
        self.configuration = configuration
        self.fallback = fallback
        self.matcher = PlaybackMatcher(entries: entries, bodyMatch: configuration.bodyMatch)
        self.time = time
    }

    public func addRoutes(to router: Router<MockRequestContext>) {
        // Middleware rather than routes: it sees every method and path, the ones no route would
        // match included (Hummingbird runs router middleware before its not-found answer).
        // It is added first so that it also runs before the fallback's routes, which it passes
        // only what it cannot answer.
        router.add(middleware: PlaybackResponder(server: self))
        fallback?.addRoutes(to: router)
    }

    /// The fallback's error format; without one the recording does not say how this backend
    /// formats errors, so `status` faults answer in the shape the OpenAI-compatible backends use.
    public func errorResponse(status: HTTPResponse.Status, message: String) -> Response {
        if let fallback { return fallback.errorResponse(status: status, message: message) }
        let body = JSONValue.obj(("error", .obj(("code", .int(status.code)), ("message", .string(message)), ("type", .string("playback_fault")))))
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body.bytes())))
    }

    /// Starts every answer sequence again.
    public func reset() async {
        rotation.withLock { $0.reset() }
        await fallback?.reset()
    }
}

/// Answers every request of a `PlaybackServer`.
struct PlaybackResponder: RouterMiddleware {
    typealias Context = MockRequestContext

    let server: PlaybackServer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let configuration = server.configuration
        // `ignore` needs no body, so an upload is not collected only to be thrown away.
        let body = configuration.bodyMatch == .ignore ? nil : try await request.body.collect(upTo: context.maxUploadSize)
        let incoming = PlaybackRequest(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query, body: body.map { Array($0.readableBytesView) } ?? [])
        let candidates = server.matcher.candidates(for: incoming)
        if !candidates.isEmpty {
            let index = server.rotation.withLock { $0.next(among: candidates) }
            let answer = PlaybackAnswer(exchange: server.entries[index].exchange, timing: configuration.timing, time: server.time)
            return try await answer.response(toMethod: request.method)
        }
        if server.fallback != nil {
            var request = request
            // The body was read for matching; the fallback gets the same bytes.
            if let body { request.body = RequestBody(buffer: body) }
            return try await next(request, context)
        }
        if request.method == .get, incoming.path == server.healthPath {
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        let status = HTTPResponse.Status(code: configuration.unmatchedStatus)
        return PlaybackMiss(request: incoming, matcher: server.matcher).response(status: status, backend: server.name, entries: server.entries)
    }
}
