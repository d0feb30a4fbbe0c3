import Foundation
import Logging
import SynapseClock
import SynapseCore
import SynapseGateway
import SynapseMockKit
import SynapseMocks
import SynapseResilience
import Yams

/// Starts a scenario's mocks (with their control API) and a gateway pointed at them, in this
/// process on free loopback ports, all on one `VirtualClock` (or the real clock), and stops them
/// when the body returns or throws:
///
/// ```
/// VirtualClock ──mockTime()──▶ MockCluster (mocks + control API)
///      └──AnyClock──────────▶ GatewayService ──HTTP──▶ mocks
/// ```
enum InProcessHarness {
    static func withTarget<T: Sendable>(
        for scenario: Scenario, realTime: Bool, logger: Logger,
        _ body: @Sendable (ScenarioTarget) async throws -> T
    ) async throws -> T {
        let clock = VirtualClock()
        let cluster: MockCluster
        do {
            cluster = try MockCluster(configuration: .init(only: scenario.mocks), time: realTime ? .system : clock.mockTime(), logger: logger)
        } catch {
            throw ScenarioError.setupFailed("mocks: \(error)")
        }
        let voices = FileManager.default.temporaryDirectory.appendingPathComponent("synapse-scenario-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: voices, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: voices) }

        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await cluster.run() }
            // Whatever happens below, cancelling the group stops the mocks and the gateway.
            defer { group.cancelAll() }
            let endpoints = try await cluster.endpoints()
            let config = try makeConfig(backendsYAML: try await cluster.backendsYAML(), scenario: scenario, voiceLibraryDir: voices)
            let (ports, continuation) = AsyncStream<Int>.makeStream()
            let gateway = GatewayService(config: config, logger: logger, clock: realTime ? nil : AnyClock(clock)) { port in
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
                gatewayURL: "http://127.0.0.1:\(port)", controlURL: endpoints.controlURL,
                time: realTime ? .real : .virtual(clock), voiceLibraryDir: voices)
            return try await body(target)
        }
    }

    /// The generated `backends.yaml`, a `gateway:` section for loopback, and the scenario's
    /// `config:` merged on top, loaded by Core's `ConfigLoader` like any configuration file.
    static func makeConfig(backendsYAML: String, scenario: Scenario, voiceLibraryDir: String) throws -> SynapseConfig {
        guard let node = try Yams.compose(yaml: backendsYAML) else { throw ScenarioError.setupFailed("empty generated configuration") }
        var document = SourceNode(node).json.merged(with: .object([
            .init("version", .number(1)),
            .init("gateway", .object([
                .init("host", .string("127.0.0.1")), .init("port", .number(0)),
                .init("voiceLibraryDir", .string(voiceLibraryDir)), .init("logLevel", .string("error")),
            ])),
        ]))
        if let overrides = scenario.config { document = document.merged(with: overrides) }
        // JSON is YAML, so the merged document goes through the ordinary loader and its validation.
        let outcome = ConfigLoader().load(yaml: document.jsonText)
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
