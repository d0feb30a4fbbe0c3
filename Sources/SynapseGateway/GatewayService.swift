import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import SynapseClock
import SynapseCore
import SynapseResilience
import Synchronization

/// Builds the gateway from a configuration and runs it as a `Service`.
///
/// Graceful shutdown (delivered through the `ServiceGroup`): `/readyz` turns 503 at once, the
/// server keeps serving for the drain window, then stops accepting while in-flight requests get
/// the grace period (see `GatewayService+Drain.swift`).
public final class GatewayService: Service, Sendable {
    /// The configuration in force: the start-up one, or the last reload's (`GatewayService+Reload.swift`).
    public var config: SynapseConfig { generation.config }
    let logger: Logger
    var pool: BackendPool { generation.pool }
    public let metrics: GatewayMetrics
    public var breakers: BreakerRegistry<AnyClock> { generation.breakers }
    /// The current configuration's clients and breakers; a reload swaps it, with the responder
    /// and the fast path built over it.
    let generations: Swappable<GatewayGeneration>
    var generation: GatewayGeneration { generations.current }
    let responders = Swappable<GatewayResponder?>(nil)
    let fastPaths = Swappable<FastPath?>(nil)
    /// What outlives a reload: the voice library (prepared once, at start-up) and the cache of
    /// references uploaded to Chatterbox.
    let voiceLibrary: VoiceLibrary
    let referenceCache = ReferenceCache()
    /// The HTTPS listener's certificate (re-read on reload); nil on plain HTTP.
    let listenerTLS = Swappable<ListenerTLS?>(nil)
    let breakerTransition: @Sendable (BackendID, BreakerTransition) -> Void
    /// Reads the configuration again, as it was read at start-up (file, environment, command
    /// line); nil when there is nothing to re-read (tests, scenarios).
    let reloadSource: ConfigSource?
    let reloading = Mutex(ReloadState())
    let clock: AnyClock
    let readiness = Atomic<Bool>(false)
    /// The original's live log feed (`GET /events/terminal`); answers 404 unless live.
    public let terminalFeed: TerminalFeed
    /// HAR recording (`gateway.recording`, `--record`, `/admin/recording`); off unless started.
    public let recorder: Recorder
    /// The typed live events of `GET /events` (breakers, retries, timeouts, voices, requests).
    public let events: EventFeed
    /// `synapse dev`: the mocks' control API, proxied under `/dev/mocks` for the dashboard's fault
    /// panel (`MockControlProxy`); nil in `synapse serve`.
    public let mockControlURL: String?
    /// Trace context for every request and backend call; spans when `OTEL_*` names a collector.
    public let tracer: Tracer
    private let onListening: @Sendable (Int) async -> Void

    /// - Parameters:
    ///   - clock: drives breaker cooldowns and retry backoff; tests and scenarios pass a virtual
    ///     clock. Default: the continuous clock.
    ///   - terminalFeed: the feed the process's log handler publishes into (`LogSetup`); default
    ///     a feed of its own, which receives nothing but still answers the route.
    ///   - mockControlURL: `synapse dev`'s control API (`http://127.0.0.1:8100`): adds `/dev/mocks…`
    ///     and the dashboard's fault panel.
    ///   - reloadSource: reads the configuration again for `SIGHUP` and `POST /admin/reload`.
    ///   - onListening: called with the bound port once the server accepts connections
    ///     (tests bind port 0 and learn the port here).
    public init(
        config: SynapseConfig, logger: Logger, clock: AnyClock? = nil, terminalFeed: TerminalFeed? = nil, mockControlURL: String? = nil,
        reloadSource: ConfigSource? = nil, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.reloadSource = reloadSource
        self.voiceLibrary = VoiceLibrary(
            root: config.gateway.voiceLibraryDir, instance: VoiceLibrary.processToken(instanceID: config.gateway.instanceID))
        self.metrics = GatewayMetrics(replica: config.gateway.instanceID)
        self.terminalFeed = terminalFeed ?? TerminalFeed(settings: config.terminalFeed, instance: config.gateway.instanceID)
        self.logger = logger
        self.clock = clock ?? .continuous
        self.onListening = onListening
        self.mockControlURL = mockControlURL
        let metrics = metrics
        let exporter = OTLPExporter(settings: config.tracing, instance: config.gateway.instanceID, logger: logger) { metrics.spansDropped($0) }
        self.tracer = Tracer(exporter: exporter)
        let events = EventFeed(logger: logger)
        self.events = events
        self.recorder = Recorder(clock: self.clock, logger: logger) { metrics.recordingDropped() }
        let breakerTransition: @Sendable (BackendID, BreakerTransition) -> Void = { backend, transition in
            logger.notice(
                "circuit breaker transition",
                metadata: [
                    "synapse.backend": "\(backend)", "synapse.breaker.from": "\(transition.from.rawValue)",
                    "synapse.breaker.to": "\(transition.to.rawValue)", "synapse.breaker.reason": "\(transition.reason.rawValue)",
                ])
            metrics.transition(backend: backend, transition)
            events.publish(
                .breaker, backend: backend.rawValue,
                [("from", .string(transition.from.rawValue)), ("to", .string(transition.to.rawValue)), ("reason", .string(transition.reason.rawValue))])
        }
        self.breakerTransition = breakerTransition
        self.generations = Swappable(
            GatewayGeneration(
                number: 1, config: config, pool: Self.makePool(config),
                breakers: BreakerRegistry(backends: config.backends, clock: self.clock, onTransition: breakerTransition)))
    }

    static func makePool(_ config: SynapseConfig) -> BackendPool {
        BackendPool(backends: config.backends, longestDeadline: config.timeoutProfiles.values.max() ?? .seconds(600))
    }

    public func run() async throws {
        if let recording = config.gateway.recording { try recorder.start(recording) }
        events.publish(
            .config, [("action", .string("loaded")), ("backends", .number(Double(config.backends.count))), ("routes", .number(Double(config.routes.count)))])
        // SIGHUP reloads while the server runs (when there is a file to re-read).
        let hangUps = reloadSource.map { _ in Task { await self.reloadOnHangUp() } }
        defer { hangUps?.cancel() }
        // The recorder's and the span exporter's writers run beside the server and outlive it:
        // what is buffered when the server stops is written (the HAR file closed, the last spans
        // sent) before run() returns.
        try await withThrowingTaskGroup(of: Void.self) { writer in
            writer.addTask { await self.recorder.run() }
            if let exporter = tracer.exporter { writer.addTask { await exporter.run() } }
            do {
                try await serveHTTP()
            } catch {
                await recorder.finish()
                tracer.exporter?.finish()
                throw error
            }
            await recorder.finish()
            tracer.exporter?.finish()
        }
    }

    private func serveHTTP() async throws {
        let config = config
        VoiceRoutes.prepare(voiceLibrary, logger: logger)
        activate(generation)
        // The fast path's handler is on every connection when the fast path may run at all; it
        // asks for the current generation's fast path at each request.
        let server: HTTPServerBuilder
        if let files = config.gateway.tls {
            let tls = try ListenerTLS(files: files)
            listenerTLS.replace(with: tls)
            server = Self.secureServer(config.gateway, tls: tls)
        } else {
            server = Self.server(config.gateway, fastPaths: allowsFastPath(config) ? fastPaths : nil)
        }
        let app = Application(
            responder: closingWhileDraining(SwappableResponder(slot: responders)),
            server: server,
            configuration: Self.listener(config.gateway, logger: logger),
            onServerRunning: { [self] channel in
                await Self.acceptingManyAtOnce(channel)
                self.readiness.store(true, ordering: .releasing)
                await self.onListening(channel.localAddress?.port ?? 0)
            },
            logger: logger
        )
        do {
            try await withGracefulShutdownHandler {
                try await self.serve(app, drainWindow: config.gateway.drainWindow)
            } onGracefulShutdown: { [self] in
                self.readiness.store(false, ordering: .releasing)
            }
        } catch {
            await shutDownClients()
            throw error
        }
        await shutDownClients()
    }

    /// Builds the routes, the responder and the fast path over `generation` and puts them in
    /// place; returns the fast path they replace.
    @discardableResult
    func activate(_ generation: GatewayGeneration) -> FastPath? {
        let routes = makeRoutes(generation)
        let gate = RequestGate(settings: generation.config.gateway)
        let responder = GatewayResponder(
            routes: routes, logger: logger, metrics: metrics, gate: gate,
            recording: RecordingMiddleware(recorder: recorder, index: routes.index, upstreamPaths: Self.upstreamPaths), events: events, tracer: tracer)
        let replaced = fastPaths.replace(with: makeFastPath(generation, gate: gate))
        responders.replace(with: responder)
        return replaced
    }

    /// Whether the fast path may run: not when turned off, on a virtual clock (it keeps real time
    /// only; scenarios and their tests take the general path), or when spans are exported (the
    /// general path records them; the fast path only propagates trace context).
    private func allowsFastPath(_ config: SynapseConfig) -> Bool {
        config.gateway.fastPassThrough && clock.isContinuous && !tracer.isRecording
    }

    /// The fast path for the plain JSON pass-through routes (`FastPath`), when it is allowed and
    /// some route can take it.
    private func makeFastPath(_ generation: GatewayGeneration, gate: RequestGate) -> FastPath? {
        let config = generation.config
        guard allowsFastPath(config) else { return nil }
        let caller = UpstreamCaller(
            pool: generation.pool, breakers: generation.breakers, clock: clock, metrics: metrics, events: events, logger: logger, tracer: tracer)
        let forwarder = Forwarder(caller: caller, config: config, logger: logger)
        let plans = ForwardRoute.catalogue.filter(Self.isPlainPassThrough).compactMap { try? forwarder.plan(for: $0) }
        let fastPath = FastPath(
            plans: plans, forwarder: forwarder, pool: generation.pool, breakers: generation.breakers, metrics: metrics, events: events, logger: logger,
            gate: gate
        ) { [self] in
            readiness.load(ordering: .acquiring) && !recorder.isRecording
        }
        return fastPath.isEmpty ? nil : fastPath
    }

    /// A route forwarded as it is, without the gateway's own handling (`/models/unload` announces
    /// its outcome on the event feed).
    static func isPlainPassThrough(_ route: ForwardRoute) -> Bool {
        route.path != "/models/unload"
    }

    /// Every route the gateway serves, for the current generation.
    func makeRoutes() -> RouteTable {
        makeRoutes(generation)
    }

    /// Every route the gateway serves, over `generation`'s configuration, clients and breakers.
    func makeRoutes(_ generation: GatewayGeneration) -> RouteTable {
        // These names shadow the service's "current generation" properties on purpose: the
        // routes are built over `generation`, which may not be current yet (a reload).
        let config = generation.config
        let pool = generation.pool
        let breakers = generation.breakers
        var table = RouteTable()
        let caller = UpstreamCaller(pool: pool, breakers: breakers, clock: clock, metrics: metrics, events: events, logger: logger, tracer: tracer)
        let forwarder = Forwarder(caller: caller, config: config, logger: logger)
        let models = ModelManagement(config: config, forwarder: forwarder, clock: clock, metrics: metrics, events: events, logger: logger)
        for route in ForwardRoute.catalogue {
            // Decided once here, not per request: the backend, its deadline and the presentation.
            guard let plan = try? forwarder.plan(for: route) else {
                table.add(route.method, route.path) { _, _ in throw GatewayError.noBackend(for: route.path) }
                continue
            }
            if !Self.isPlainPassThrough(route) {
                // Forwarded as is (the original's pass-through), and announced on the event feed.
                table.add(route.method, route.path, backend: plan.backend.id) { [config] request, context in
                    let (request, model) = try await ModelsRoutes.peekModel(request, limit: config.gateway.maxJSONPassThroughSize)
                    let response = try await forwarder.forward(request, context: context, plan: plan)
                    models.router?.announce(response.status == .ok ? "unloaded" : "failed", model: model ?? "", status: response.status.code)
                    return response
                }
                continue
            }
            // JSON and body-less pass-through touches no file, so it runs on the connection's event
            // loop; an upload may be spooled to disk for a retry (`BodySpool`), so it does not.
            table.add(route.method, route.path, backend: plan.backend.id, staysOnEventLoop: route.body != .multipart) { request, context in
                try await forwarder.forward(request, context: context, plan: plan)
            }
        }
        let chat = ChatRoute(models: models, forwarder: forwarder, logger: logger)
        table.add(.post, "/v1/chat/completions", backend: models.router?.backend.id) { request, context in
            try await chat.respond(to: request, context: context)
        }
        ModelsRoutes(models: models, logger: logger).register(in: &table)
        TerminalFeedRoute(feed: terminalFeed, clock: clock).register(in: &table)
        EventFeedRoute(feed: events, clock: clock).register(in: &table)
        table.add(.get, "/api/backend-routes") { [config] _, _ in
            Self.json(data: Data(BackendRoutesDocument.document(for: config).bytes(.pythonCompact)))
        }
        let prober = HealthProber(backends: config.backends, pool: pool, timeout: config.gateway.healthProbeTimeout, clock: clock)
        table.add(.get, "/health") { [breakers, config] _, _ in
            // Health probes never move a breaker; the breaker's view is shown beside the probe's.
            let snapshots = breakers.snapshots
            // Behind a Service each answer may come from another replica; `replica` says which.
            return Self.json(await prober.report(replica: config.gateway.instanceID) { snapshots[$0]?.json })
        }
        table.add(.get, "/metrics") { [metrics, breakers] _, _ in
            let text = metrics.render(breakers: breakers.snapshots)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .contentLength: String(text.count)],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
        }
        AdminAPI(
            breakers: breakers, recorder: recorder, reload: { [self] in reload(reason: "POST /admin/reload") }, token: config.gateway.adminToken,
            insecureLocalAdmin: config.gateway.insecureLocalAdmin
        ).register(in: &table)
        VoiceRoutes(config: config, library: voiceLibrary, cache: referenceCache, upstream: forwarder, events: events, logger: logger).register(in: &table)
        let dashboard = mockControlURL == nil ? DashboardPage.html : DashboardPage.devHTML
        for path in ["/", "/ui", "/dashboard"] {
            table.add(.get, path) { _, _ in Self.page(dashboard) }
        }
        if let mockControlURL { MockControlProxy(controlURL: mockControlURL).register(in: &table) }
        table.add(.get, "/docs") { _, _ in Self.page(DocsPage.html) }
        table.add(.get, "/redoc") { _, _ in Self.page(RedocPage.html) }
        let openAPI = mockControlURL == nil ? APIReference.document : APIReference.developmentDocument
        table.add(.get, "/openapi.json") { _, _ in Self.json(data: openAPI) }
        table.add(.get, "/healthz") { _, _ in
            Self.json(.obj(("status", .string("ok"))))
        }
        table.add(.get, "/readyz") { [self] _, _ in
            let ready = self.readiness.load(ordering: .acquiring)
            return Self.json(.obj(("status", .string(ready ? "ready" : "shutting_down"))), status: ready ? .ok : .serviceUnavailable)
        }
        let aggregator = ModelsAggregator(backends: config.backends, pool: pool, timeout: .seconds(10), clock: clock) {
            models.decorate(backend: $0, items: $1)
        }
        table.add(.get, "/v1/models") { _, context in
            let result = await aggregator.aggregate(requestID: context.requestID)
            var response = Self.json(data: result.body)
            if !result.unavailable.isEmpty {
                response.headers[HTTPField.Name("X-Synapse-Unavailable-Backends")!] = result.unavailable.map(\.rawValue).joined(separator: ",")
            }
            return response
        }
        return table
    }

    /// Route → the path called on its backend, for recordings (`_synapse.upstreamPath`).
    static let upstreamPaths: [String: String] = {
        var paths = Dictionary(ForwardRoute.catalogue.map { ($0.path, $0.backendPath) }, uniquingKeysWith: { first, _ in first })
        paths["/v1/chat/completions"] = "/v1/chat/completions"
        return paths
    }()

    static func page(_ html: String) -> Response {
        let bytes = ByteBuffer(string: html)
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .contentLength: String(bytes.readableBytes)],
            body: ResponseBody(byteBuffer: bytes))
    }

    /// The operational answers (`/health`, `/readyz`, the admin API…) are written with sorted keys.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        .json(value.sortingKeys(), status: status)
    }

    static func json(data: Data, status: HTTPResponse.Status = .ok) -> Response {
        .json(ByteBuffer(bytes: data), status: status)
    }
}
