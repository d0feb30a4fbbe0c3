import SynapseCore

/// A running mock as tests and the control API see it: its address, faults, journal and reset.
public struct MockHandle: Sendable {
    /// The host serving the mock.
    public let host: MockHost
    /// The bound port (kept across refuse faults).
    public let port: Int

    init(host: MockHost, port: Int) {
        self.host = host
        self.port = port
    }

    /// The mock's name, e.g. `whisper-stt`.
    public var name: String { host.mock.name }

    /// `http://HOST:PORT`, using 127.0.0.1 when bound to all interfaces.
    public var baseURL: String {
        let bound = host.configuration.host
        let name = bound == "0.0.0.0" || bound == "::" || bound.isEmpty ? "127.0.0.1" : bound
        return name.contains(":") ? "http://[\(name)]:\(port)" : "http://\(name):\(port)"
    }

    /// A URL on the mock: `baseURL` + `path` (which starts with `/`).
    public func url(_ path: String) -> String { baseURL + path }

    /// What the mock received.
    public var journal: RequestJournal { host.journal }

    /// The active fault rules.
    public var faults: [FaultRule] { host.faults.rules }

    /// Activates a rule and returns it with its id.
    @discardableResult
    public func inject(_ rule: FaultRule) async throws -> FaultRule {
        try await host.inject(rule)
    }

    /// Activates a fault on every request, without limits.
    @discardableResult
    public func inject(_ spec: FaultSpec) async throws -> FaultRule {
        try await host.inject(FaultRule(spec))
    }

    /// Removes one rule by id.
    public func removeFault(id: String) async throws {
        try await host.removeFault(id: id)
    }

    /// Removes every rule (a refusing mock listens again before this returns).
    public func clearFaults() async throws {
        try await host.clearFaults()
    }

    /// Clears faults and journal and resets the mock's state.
    public func reset() async throws {
        try await host.reset()
    }
}
