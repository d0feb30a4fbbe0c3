import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import SynapseCore

/// Serves one `MockServer` on a host and port, with the fault engine and request journal
/// wrapped around every route (including unknown paths):
///
/// ```
/// connection ─▶ HTTP1Channel ─▶ JournalRecorder ─▶ FaultInjector ─▶ mock's Router
///                                                        └─ refuse: MockListener closes the socket
/// ```
///
/// A `Service`: `run()` serves until cancelled or gracefully shut down.
public final class MockHost: Service, Sendable {
    /// Where and how to serve.
    public struct Configuration: Sendable {
        /// Interface to bind. Default `127.0.0.1`.
        public var host: String
        /// Port to bind; 0 picks a free one. Default 0.
        public var port: Int
        /// Journal limits.
        public var journal: RequestJournal.Configuration

        public init(host: String = "127.0.0.1", port: Int = 0, journal: RequestJournal.Configuration = .init()) {
            self.host = host
            self.port = port
            self.journal = journal
        }
    }

    public let mock: any MockServer
    public let configuration: Configuration
    /// The active fault rules.
    public let faults: FaultTable
    /// What the mock received.
    public let journal: RequestJournal
    /// The mock's clock (also used for fault delays).
    public let time: MockTime
    private let listener: MockListener
    private let logger: Logger

    public init(
        mock: some MockServer, configuration: Configuration = .init(), time: MockTime = .system,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "synapse.mock")
    ) {
        var logger = logger
        logger[metadataKey: "synapse.mock"] = .string(mock.name)
        self.mock = mock
        self.configuration = configuration
        self.faults = FaultTable()
        self.journal = RequestJournal(configuration: configuration.journal)
        self.time = time
        self.logger = logger
        self.listener = MockListener(host: configuration.host, port: configuration.port, eventLoopGroup: eventLoopGroup, logger: logger)
    }

    /// Serves until cancelled or gracefully shut down; open connections are closed on the way out.
    public func run() async throws {
        let http = HTTP1Channel(responder: makeResponder())
        try await withTaskCancellationOrGracefulShutdownHandler {
            try await listener.run(http)
        } onCancelOrGracefulShutdown: {
            self.listener.stop()
        }
    }

    /// Waits until the socket accepts connections (after start, or after a refuse fault is cleared).
    public func waitUntilListening() async throws -> Int {
        try await listener.waitUntilListening()
    }

    /// A handle for tests and the control API; waits until the mock is listening.
    public func handle() async throws -> MockHandle {
        MockHandle(host: self, port: try await waitUntilListening())
    }

    // MARK: - Faults

    /// Activates a rule (see `FaultTable.add`); a listener fault such as `refuse` takes effect
    /// before this returns.
    @discardableResult
    public func inject(_ rule: FaultRule) async throws -> FaultRule {
        if let problem = rule.problems.first { throw MockError.invalidFault(problem) }
        let stored = faults.add(rule)
        if stored.spec.fault.capabilities.contains(.controlsListener) { await listener.refuse() }
        logger.info("fault injected", metadata: ["synapse.fault": "\(stored.spec)", "synapse.fault_id": "\(stored.id)"])
        return stored
    }

    /// Removes one rule; throws `MockError.unknownFault` if there is none with this id.
    public func removeFault(id: String) async throws {
        guard faults.remove(id: id) else { throw MockError.unknownFault(mock: mock.name, id: id) }
        try await resumeIfNoListenerFault()
    }

    /// Removes every rule; a refusing mock accepts connections again (same port) before this returns.
    public func clearFaults() async throws {
        faults.removeAll()
        try await resumeIfNoListenerFault()
    }

    /// Clears faults and journal and resets the mock's own state.
    public func reset() async throws {
        try await clearFaults()
        journal.clear()
        await mock.reset()
    }

    private func resumeIfNoListenerFault() async throws {
        if !faults.contains(capabilities: .controlsListener) { try await listener.resume() }
    }

    // MARK: - Responder

    /// The per-request function run on every connection: context, journal, faults, routes, Server header.
    private func makeResponder() -> HTTPChannelHandler.Responder {
        let router = Router(context: MockRequestContext.self)
        mock.addRoutes(to: router)
        let routes = router.buildResponder()
        let recorder = JournalRecorder(journal: journal, time: time)
        let injector = FaultInjector(mock: mock, faults: faults, time: time)
        let serverHeader = mock.serverHeader
        let logger = self.logger
        let faults = self.faults
        return { request, responseWriter, channel in
            var context = MockRequestContext(source: .init(channel: channel, logger: logger))
            context.eventFaults = EventFaults(table: faults)
            var response: Response
            do {
                // The fault is chosen first so that the journal entry names it.
                let selection = injector.select(for: request)
                response = try await recorder.handle(request, context: context, fault: selection?.journalDescription) { request, context in
                    try await injector.apply(selection, to: request, context: context) { request, context in
                        try await routes.respond(to: request, context: context)
                    }
                }
            } catch is ConnectionAbandoned {
                return
            } catch let error as any HTTPResponseError {
                response = try error.response(from: request, context: context)
            } catch {
                logger.debug("mock route failed", metadata: ["error": "\(error)"])
                response = Response(status: .internalServerError)
            }
            // Only the real backend's Server header, never Hummingbird's.
            if let serverHeader, !response.headers.contains(.server) { response.headers[.server] = serverHeader }
            do {
                try await responseWriter.write(response: response.head, body: response.body)
            } catch is ConnectionAbandoned {
                return
            }
        }
    }
}
