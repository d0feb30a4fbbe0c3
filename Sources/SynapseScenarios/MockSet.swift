import Logging
import SynapseClock
import SynapseCore

/// The mocks a scenario runs against, as a contract: the runner knows no concrete mock, catalogue
/// or audio module, only this.
///
/// ```
///                 ┌─ InProcessMockSets (InProcessMocks module): MockCluster in this process,
/// ScenarioRunner ─┤    on the scenario's VirtualClock or the real clock
///   (any MockSetProvider)
///                 └─ RemoteMockSets (here): a running mock set's HTTP control API, real time
/// ```
/// Adding a backend or a fault touches the mock set, never the harness.
public protocol MockSet: Sendable {
    /// The backends being served, in a stable order.
    func backends() async throws -> [MockBackend]
    /// Adds a fault rule (FaultRule JSON) to `mock`; throws `MockSetRefusal` when the mock set
    /// refuses it (unknown mock, invalid rule).
    func inject(_ rule: JSONValue, into mock: String) async throws
    /// Removes every fault rule of `mock`.
    func clearFaults(of mock: String) async throws
    /// What `mock` received, oldest first, as the control API's journal entries.
    func journal(of mock: String) async throws -> [JSONValue]
    /// Clears faults, journal and state of `mock`, like a restart of the real server.
    func reset(_ mock: String) async throws
    /// A WAV file of mock speech saying `text` in `voice`, exactly as the mock TTS makes it (and
    /// the mock STT reads it back), for `speech:` payloads.
    func synthesizeSpeech(text: String, voice: String) async throws -> [UInt8]
}

/// Starts a mock set for each scenario, or attaches to a running one.
public protocol MockSetProvider: Sendable {
    /// What mock sets from this provider can do.
    var capabilities: MockSetCapabilities { get }
    /// Runs `body` with a mock set serving `mocks` (nil: every mock it has), fresh or reset, and
    /// ends it (or detaches) when `body` returns or throws. `clock` is given only when the
    /// provider has `.virtualTime`: the mocks then sleep on it. Unknown mock names throw.
    func withMockSet<T: Sendable>(
        mocks: [String]?, clock: VirtualClock?, logger: Logger, _ body: @Sendable (any MockSet) async throws -> T
    ) async throws -> T
}

/// What a mock set can do beyond the common contract. A scenario declares what it needs
/// (`requires: [virtualTime]`); a provider without it reports the scenario as skipped, with the
/// reason, instead of running it.
public struct MockSetCapabilities: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The mocks can sleep on the runner's `VirtualClock`: only a mock set in this process can.
    public static let virtualTime = MockSetCapabilities(rawValue: 1 << 0)

    /// Names as written in a scenario's `requires:`.
    public static let named: [(String, MockSetCapabilities)] = [("virtualTime", .virtualTime)]

    /// `virtualTime, …` for reports.
    public var names: [String] { Self.named.filter { contains($0.1) }.map(\.0) }
}

/// One backend of a mock set.
public struct MockBackend: Sendable, Equatable {
    /// Its name in `backends.yaml` and the control API, e.g. `llama-embed`.
    public var name: String
    /// `http://HOST:PORT`.
    public var baseURL: String
    /// The `type` for a generated `backends.yaml` (e.g. `openai-compatible`).
    public var type: String
    /// The path the gateway probes for health.
    public var health: String
    /// Gateway routes this backend serves in the original `backends.yaml` (`/tts/*`).
    public var routes: [String]

    public init(name: String, baseURL: String, type: String, health: String, routes: [String]) {
        self.name = name
        self.baseURL = baseURL
        self.type = type
        self.health = health
        self.routes = routes
    }

    /// A `backends.yaml` in the original format pointing at `backends`.
    static func backendsYAML(_ backends: [MockBackend]) -> String {
        var lines = ["backends:"]
        for backend in backends {
            lines.append("  \(backend.name): {url: \(backend.baseURL), type: \(backend.type), health: \(backend.health)}")
        }
        lines.append("routes:")
        for backend in backends {
            for route in backend.routes { lines.append("  \(route): \(backend.name)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The mock set refused an operation (an unknown mock, an invalid fault rule): a step problem,
/// not a transport failure.
public struct MockSetRefusal: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
