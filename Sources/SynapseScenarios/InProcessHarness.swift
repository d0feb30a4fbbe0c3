import Foundation
import Logging
import SynapseClock
import SynapseCore
import SynapseGateway
import Yams

/// Gets a scenario's mock set from the provider and starts a gateway pointed at it, in this
/// process on a free loopback port, on one `VirtualClock` with the mocks (when the provider can
/// share one) or on the real clock, and stops it when the body returns or throws:
///
/// ```
/// VirtualClock ──withMockSet(clock:)──▶ any MockSet (in-process cluster, or a remote one: real time)
///      └──AnyClock──────────────────▶ GatewayService ──HTTP──▶ the set's backends
/// ```
enum InProcessHarness {
    static func withTarget<T: Sendable>(
        for scenario: Scenario, mocks provider: any MockSetProvider, virtualTime: Bool, logger: Logger,
        _ body: @Sendable (ScenarioTarget) async throws -> T
    ) async throws -> T {
        let clock = VirtualClock()
        let voices = FileManager.default.temporaryDirectory.appendingPathComponent("synapse-scenario-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: voices, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: voices) }

        return try await provider.withMockSet(mocks: scenario.mocks, clock: virtualTime ? clock : nil, logger: logger) { mocks in
            // A shared remote set serves more mocks than the scenario names: configure only those.
            let backends = try await mocks.backends().filter { scenario.mocks?.contains($0.name) ?? true }
            let config = try makeConfig(backendsYAML: MockBackend.backendsYAML(backends), scenario: scenario, voiceLibraryDir: voices)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                // Whatever happens below, cancelling the group stops the gateway.
                defer { group.cancelAll() }
                let (ports, continuation) = AsyncStream<Int>.makeStream()
                let gateway = GatewayService(config: config, logger: logger, clock: virtualTime ? AnyClock(clock) : nil) { port in
                    continuation.yield(port)
                }
                group.addTask {
                    // Ends the port stream either way, so a gateway that fails to start is reported, not awaited forever.
                    defer { continuation.finish() }
                    try await gateway.run()
                }
                var iterator = ports.makeAsyncIterator()
                guard let port = await iterator.next() else { throw ScenarioError.setupFailed("the gateway did not start") }
                let target = ScenarioTarget(
                    gatewayURL: "http://127.0.0.1:\(port)", mocks: mocks, time: virtualTime ? .virtual(clock) : .real, voiceLibraryDir: voices)
                return try await body(target)
            }
        }
    }

    /// The generated `backends.yaml`, a `gateway:` section for loopback, and the scenario's
    /// `config:` merged on top, loaded by Core's `ConfigLoader` like any configuration file.
    static func makeConfig(backendsYAML: String, scenario: Scenario, voiceLibraryDir: String) throws -> SynapseConfig {
        guard let node = try Yams.compose(yaml: backendsYAML) else { throw ScenarioError.setupFailed("empty generated configuration") }
        var document = SourceNode(node).json.merged(
            with: .object([
                ("version", .number(1)),
                (
                    "gateway",
                    .object([
                        ("host", .string("127.0.0.1")), ("port", .number(0)),
                        ("voiceLibraryDir", .string(voiceLibraryDir)), ("logLevel", .string("error")),
                    ])
                ),
            ]))
        if let overrides = scenario.config { document = document.merged(with: overrides) }
        // JSON is YAML, so the merged document goes through the ordinary loader and its validation.
        let outcome = ConfigLoader().load(yaml: document.text())
        guard var config = outcome.config else {
            let problems = outcome.errors.map { "config.\($0.keyPath): \($0.message)" }.joined(separator: "; ")
            throw ScenarioError.invalidFile([ScenarioIssue(file: scenario.file, line: scenario.configLine, keyPath: "config", message: problems)])
        }
        config.gateway.port = 0
        // The runner reads and resets breakers through the admin API, from loopback.
        config.gateway.insecureLocalAdmin = true
        config.placeVoiceLibrary(at: voiceLibraryDir)
        return config
    }
}
