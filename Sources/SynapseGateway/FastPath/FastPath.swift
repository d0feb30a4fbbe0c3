import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import SynapseClock
import SynapseCore
import SynapseResilience

/// The policy of the fast path: which requests the JSON pass-through routes may answer without
/// Hummingbird's request task (`FastPathHandler`, `FastExchange`), and the shared parts they use.
///
/// A request takes it only when nothing about it needs more than a relay, so that its answer is
/// the one the general path would give; anything else is handed to Hummingbird untouched:
///
/// | checked | general path when |
/// |---|---|
/// | the gateway | draining, recording, exporting spans, on a virtual clock, or `gateway.fastPassThrough` off |
/// | the head | not `POST` to a fast route's exact path (no query); no `Content-Length`, or over 64 KiB or the route's limit; `Transfer-Encoding`, `Expect`, `Origin` or `Sec-Fetch-Site` present, or `Connection` other than `keep-alive`; a media type other than JSON |
/// | the body | not valid JSON (a body arriving in later reads is waited for) |
/// | admission | no API key where one is needed; the backend's in-flight limit reached or its breaker refusing; no idle pooled connection on this event loop |
///
/// Each refusal leaves the general path to give its answer (401, 415, 400, 503…) or to wait (a
/// queue slot, a new connection with its retries).
final class FastPath: Sendable {
    /// A class: each exchange keeps its route, and a struct this size (the plan holds the backend's
    /// whole configuration) cost a retain and a release of every reference in it each time.
    final class Route: Sendable {
        /// The client path, e.g. `/v1/embeddings`.
        let path: String
        let plan: Forwarder.Plan
        let bodyLimit: Int
        /// The backend's connections and the route's metrics, per event loop.
        let loops: [ObjectIdentifier: Loop]
        let limiter: InFlightLimiter?
        let breaker: SharedCircuitBreaker<AnyClock>?
        /// `synapse_fast_path_requests_total` for this route, read off the socket by the gateway and by NIO.
        let served: (wire: Counter, nio: Counter)

        init(
            path: String, plan: Forwarder.Plan, bodyLimit: Int, loops: [ObjectIdentifier: Loop], limiter: InFlightLimiter?,
            breaker: SharedCircuitBreaker<AnyClock>?, served: (wire: Counter, nio: Counter)
        ) {
            self.path = path
            self.plan = plan
            self.bodyLimit = bodyLimit
            self.loops = loops
            self.limiter = limiter
            self.breaker = breaker
            self.served = served
        }
    }

    /// What a route keeps per event loop, touched on that loop only.
    struct Loop: Sendable {
        let pool: RelayPool
        let meters: FastRouteMeters
    }

    /// What a request was admitted with.
    struct Admission {
        var connection: RelayConnection
        var pool: RelayPool
        var meters: FastRouteMeters
        var permit: BreakerPermit?
        /// The client presented one of the gateway's API keys (not forwarded, then).
        var consumedCredentials: Bool
    }

    private let routes: [String: Route]
    let metrics: GatewayMetrics
    let events: EventFeed
    let logger: Logger
    let gate: RequestGate
    private let isOpen: @Sendable () -> Bool

    /// - Parameters:
    ///   - plans: the JSON pass-through routes; those whose backend is not plain `http` are left out.
    ///   - forwarder: the general path, whose body limits the fast path keeps.
    ///   - isOpen: whether the gateway's state allows the fast path now (not draining, not recording).
    init(
        plans: [Forwarder.Plan], forwarder: Forwarder, pool: BackendPool, breakers: BreakerRegistry<AnyClock>,
        metrics: GatewayMetrics, events: EventFeed, logger: Logger, gate: RequestGate,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, isOpen: @escaping @Sendable () -> Bool
    ) {
        let loops = Array(eventLoopGroup.makeIterator())
        var routes: [String: Route] = [:]
        for plan in plans where plan.route.body == .json && plan.backend.url.scheme == "http" && plan.backend.url.userInfo == nil {
            let backend = plan.backend
            let configuration = ConnectionPool.Configuration(backend: backend)
            let perLoop = Dictionary(
                uniqueKeysWithValues: loops.map {
                    let pool = RelayPool(host: backend.url.host, port: backend.url.port, configuration: configuration, eventLoop: $0)
                    return (ObjectIdentifier($0), Loop(pool: pool, meters: FastRouteMeters(metrics: metrics, route: plan.route.path, backend: backend.id)))
                })
            let bodyLimit = min(forwarder.bodyLimit(plan), Forwarder.smallBodyLimit)
            routes[plan.route.path] = Route(
                path: plan.route.path, plan: plan, bodyLimit: bodyLimit, loops: perLoop, limiter: pool.limiter(for: backend.id),
                breaker: breakers[backend.id],
                served: (metrics.fastPathCounter(route: plan.route.path, codec: "wire"), metrics.fastPathCounter(route: plan.route.path, codec: "nio")))
        }
        self.routes = routes
        self.metrics = metrics
        self.events = events
        self.logger = logger
        self.gate = gate
        self.isOpen = isOpen
    }

    var isEmpty: Bool { routes.isEmpty }

    /// Whether a `POST` to `target` may take the fast path: a first look, before the head is read whole.
    func serves(target: String) -> Bool { routes[target] != nil }

    /// The route whose fast path this request head may take, or nil for the general path.
    func route(for head: HTTPRequest) -> Route? {
        guard head.method == .post, let target = head.path, let route = routes[target], isOpen() else { return nil }
        let fields = head.headerFields
        guard let length = fields.value(of: .contentLength).flatMap(Int.init), length > 0, length <= route.bodyLimit,
            fields.value(of: .transferEncoding) == nil, fields.value(of: .expect) == nil, Self.onlyKeepsAlive(fields.value(of: .connection)),
            fields.value(of: .origin) == nil, fields.value(of: CrossSitePolicy.secFetchSiteField) == nil
        else { return nil }
        if let contentType = fields.value(of: .contentType), !RequestBodyCheck.isJSON(RequestBodyCheck.mediaType(contentType)) { return nil }
        return route
    }

    /// No `Connection` header, or one that only asks for what HTTP/1.1 does anyway (`keep-alive`,
    /// which httpx, and so the OpenAI SDK, sends on every request); `close` or an upgrade, or a
    /// header it names as hop-by-hop, is the general path's.
    static func onlyKeepsAlive(_ connection: String?) -> Bool {
        guard let connection else { return true }
        return connection.split(separator: ",").allSatisfy { token in
            token.lowercased().filter { $0 != " " && $0 != "\t" } == "keep-alive"
        }
    }

    /// Admits a complete request on `route`, or nil for the general path. What it takes (a slot,
    /// a breaker permit, a connection) is given back when it says no.
    func admit(_ route: Route, head: HTTPRequest, body: ByteBuffer, on eventLoop: any EventLoop) -> Admission? {
        guard let consumedCredentials = gate.credentials(path: route.path, fields: head.headerFields),
            body.withUnsafeReadableBytes({ JSONSyntax.problem(in: $0) }) == nil,
            let loop = route.loops[ObjectIdentifier(eventLoop)]
        else { return nil }
        let pool = loop.pool
        if let limiter = route.limiter, !limiter.tryAcquire() { return nil }
        guard let connection = pool.take() else {
            route.limiter?.release()
            return nil
        }
        var permit: BreakerPermit?
        switch route.breaker?.admit() {
        case .reject:
            pool.giveBack(connection)
            route.limiter?.release()
            return nil
        case .allow(let granted): permit = granted
        case nil: permit = nil
        }
        return Admission(connection: connection, pool: pool, meters: loop.meters, permit: permit, consumedCredentials: consumedCredentials)
    }

    /// The exchange for a complete request on `route` and the backend request it is to send, or
    /// nil when admission says no (the general path answers the request then). The caller starts
    /// it (`FastExchange.start`) once it has noted it: it may end within the call.
    func exchange(
        _ route: Route, head: HTTPRequest, body: ByteBuffer, client: FastAnswerWriter, started: NIODeadline, startedAt: ContinuousClock.Instant,
        onFinished: @escaping () -> Void
    ) -> (FastExchange, request: ByteBuffer)? {
        let context = client.context
        guard let admission = admit(route, head: head, body: body, on: context.eventLoop) else { return nil }
        let requestID = GatewayResponder.requestID(from: head.headerFields.value(of: GatewayResponder.requestIDField))
        let request = upstreamRequest(route, head: head, body: body, requestID: requestID, admission: admission, client: context.channel)
        let exchange = FastExchange(
            client: client, fastPath: self, route: route, admission: admission, requestID: requestID, started: started, startedAt: startedAt,
            onFinished: onFinished)
        return (exchange, request)
    }

    /// The backend request as `Forwarder` would send it, head and body in one buffer: the
    /// connection has no HTTP encoder, so these are the bytes that leave.
    func upstreamRequest(_ route: Route, head: HTTPRequest, body: ByteBuffer, requestID: String, admission: Admission, client: any Channel) -> ByteBuffer {
        let remote = client.remoteAddress
        var headers = HeaderPolicy.upstreamHeaders(
            from: head.headerFields, requestID: requestID, clientAddress: remote,
            trustingForwarded: gate.trustsForwardedHeaders(from: remote), strippingCredentials: admission.consumedCredentials)
        // The trace context the general path sends. Nothing is recorded here (a gateway that
        // exports spans takes the general path), so the request's own span may stand for the
        // attempt's: no one sees the level between them.
        let trace = Tracer.propagating.requestContext(in: head.headerFields)
        UpstreamCaller.propagate(trace.context, into: &headers)
        let request = UpstreamClient.Request(
            method: .POST, target: Forwarder.target(backend: route.plan.backend, path: route.plan.route.backendPath, query: nil),
            headers: headers, body: .bytes(body))
        let upstreamHead = UpstreamClient.head(request, host: admission.pool.hostHeader)
        var bytes = ByteBufferAllocator().buffer(capacity: 512 + body.readableBytes)
        bytes.writeString("POST ")
        bytes.writeString(upstreamHead.uri)
        bytes.writeStaticString(" HTTP/1.1\r\n")
        for (name, value) in upstreamHead.headers {
            bytes.writeString(name)
            bytes.writeStaticString(": ")
            bytes.writeString(value)
            bytes.writeStaticString("\r\n")
        }
        bytes.writeStaticString("\r\n")
        bytes.writeImmutableBuffer(body)
        return bytes
    }

    /// The request metrics and the `request` event, as `RequestTelemetry` records them; `duration`
    /// is to the answer's head.
    func requestAnswered(route: Route, meters: FastRouteMeters, status: Int, overhead: String?, duration: Duration) {
        meters.requestFinished(status: status, duration: duration)
        guard events.hasListeners else { return }
        var fields: [(String, JSONValue)] = [
            ("method", .string("POST")), ("route", .string(route.path)), ("status", .number(Double(status))),
            ("duration_ms", .number(duration.milliseconds.rounded(toPlaces: 2))),
        ]
        if let overhead = overhead.flatMap(Double.init) { fields.append(("overhead_ms", .number(overhead))) }
        events.publish(.request, backend: route.plan.backend.id.rawValue, fields)
    }

    /// The access log line, once the answer has been written.
    func logAccess(route: Route, requestID: String, status: Int, startedAt: ContinuousClock.Instant, bytes: Int) {
        guard logger.logLevel <= .info else { return }
        AccessLogLine(method: "POST", path: route.path, requestID: requestID, backend: route.plan.backend.id, status: status, started: startedAt)
            .write(to: logger, bytes: bytes)
    }

    /// Closes every idle connection; call once the server has stopped.
    func shutdown() {
        for route in routes.values { for loop in route.loops.values { loop.pool.shutdown() } }
    }
}
