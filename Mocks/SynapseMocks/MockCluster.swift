import Hummingbird
import Logging
import MockAudio
import ServiceLifecycle
import SynapseMockKit

/// A set of mock backends plus the control API, run together as one `Service`.
///
/// Ports: with `portBase` 0 every mock gets a free port; otherwise each mock listens on
/// `portBase` + its position in `MockCatalogue.entries` (so a mock keeps its port whichever
/// subset is started). The control API has its own port (`controlPort`, 0 = free).
public final class MockCluster: Service, Sendable {
    /// Which mocks, where.
    public struct Configuration: Sendable {
        /// Names of the mocks to start; nil starts them all. Default nil.
        public var only: [String]?
        /// Interface to bind. Default `127.0.0.1`.
        public var host: String
        /// First port, or 0 for free ports. Default 0.
        public var portBase: Int
        /// Port of the control API, 0 for a free one. Default 0.
        public var controlPort: Int
        /// How the mocks are configured. Default `.synapse`.
        public var profile: MockCatalogue.Profile
        /// The llama router's load time and `--models-max`, over the profile's. Default: the profile's.
        public var router: MockCatalogue.RouterOptions
        /// Mocks served in place of the catalogue's, by backend name, each built on the cluster's
        /// clock (playback servers, `synapse mocks --playback`). They keep the catalogue entry's
        /// port, routes and `backends.yaml` line. Default none.
        public var replacements: [String: @Sendable (MockTime) -> any MockServer]

        public init(
            only: [String]? = nil, host: String = "127.0.0.1", portBase: Int = 0, controlPort: Int = 0,
            profile: MockCatalogue.Profile = .synapse, router: MockCatalogue.RouterOptions = .init(),
            replacements: [String: @Sendable (MockTime) -> any MockServer] = [:]
        ) {
            self.only = only
            self.host = host
            self.portBase = portBase
            self.controlPort = controlPort
            self.profile = profile
            self.router = router
            self.replacements = replacements
        }
    }

    /// Where everything listens, once the cluster is up.
    public struct Endpoints: Sendable {
        /// The running mocks, in catalogue order.
        public let mocks: [MockHandle]
        /// `http://HOST:PORT` of the control API.
        public let controlURL: String

        /// The mock with this name.
        public func mock(named name: String) -> MockHandle? {
            mocks.first { $0.name == name }
        }
    }

    public let configuration: Configuration
    /// The catalogue entries being served, in catalogue order.
    public let entries: [MockCatalogue.Entry]
    private let hosts: [MockHost]
    private let logger: Logger
    private let ready = Rendezvous<Endpoints>()

    /// Builds the mocks named in `configuration.only` on `time`; throws `MockError.unknownMock`.
    public init(configuration: Configuration = .init(), time: MockTime = .system, logger: Logger = Logger(label: "synapse.mocks")) throws {
        self.configuration = configuration
        self.entries = try MockCatalogue.entries(named: configuration.only)
        self.logger = logger
        self.hosts = entries.map { entry in
            let offset = MockCatalogue.entries.firstIndex { $0.name == entry.name } ?? 0
            let port = configuration.portBase == 0 ? 0 : configuration.portBase + offset
            let mock = configuration.replacements[entry.name]?(time) ?? entry.make(time, .init(profile: configuration.profile, router: configuration.router))
            return MockHost(
                mock: mock,
                configuration: .init(host: configuration.host, port: port), time: time, logger: logger)
        }
    }

    /// Starts every mock and the control API, and runs until cancelled or gracefully shut down.
    public func run() async throws {
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for host in hosts {
                    group.addTask { try await host.run() }
                }
                var handles: [MockHandle] = []
                for host in hosts { handles.append(try await host.handle()) }
                let mocks = handles
                let host = configuration.host
                // The control API also lists each mock's gateway routes and offers the TTS mock's
                // speech, so a runner that only speaks HTTP can configure a gateway and build payloads.
                let routes = Dictionary(entries.map { ($0.name, $0.routes) }, uniquingKeysWith: { first, _ in first })
                let speech: @Sendable (String, String) -> [UInt8] = { text, voice in MockSpeech.synthesize(text: text, voice: voice) }
                let control = ControlAPI(mocks: mocks, routes: routes, synthesizer: speech).application(
                    host: host, port: configuration.controlPort, logger: logger,
                    onListening: { [ready] port in
                        let name = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
                        ready.fulfill(Endpoints(mocks: mocks, controlURL: "http://\(name):\(port)"))
                    })
                group.addTask { try await control.run() }
                try await group.waitForAll()
            }
        } catch {
            ready.fail(error)
            throw error
        }
        ready.fail(CancellationError())
    }

    /// Waits until every mock and the control API listen, then returns where.
    public func endpoints() async throws -> Endpoints {
        try await ready.value()
    }

    /// A `backends.yaml` in the original format pointing at the running mocks.
    public func backendsYAML() async throws -> String {
        let endpoints = try await endpoints()
        var lines = ["backends:"]
        for (entry, mock) in zip(entries, endpoints.mocks) {
            lines.append("  \(entry.name): {url: \(mock.baseURL), type: \(entry.type), health: \(entry.health)}")
        }
        lines.append("routes:")
        for entry in entries {
            for route in entry.routes { lines.append("  \(route): \(entry.name)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
