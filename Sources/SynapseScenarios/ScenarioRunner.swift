import AsyncHTTPClient
import Foundation
import Logging
import NIOPosix
import SynapseClock
import SynapseCore

/// Runs scenarios and returns a `ScenarioReport`; prints nothing.
///
/// The mocks come from a `MockSetProvider`, the only thing the runner knows about them. By
/// default each scenario gets a fresh gateway in this process pointed at a mock set from the
/// provider, on a `VirtualClock` when the provider has `.virtualTime` (in-process mocks), else on
/// real time (a remote mock set). `run(_:gatewayURL:)` runs against an already running gateway
/// on real time instead. A scenario that `requires:` what the run cannot offer is reported as
/// skipped, with the reason.
public struct ScenarioRunner: Sendable {
    /// How to run.
    public struct Options: Sendable {
        /// Overrides every scenario's own seed. Default nil.
        public var seed: UInt64?
        /// Folders searched for payload files (`file:`, `jsonFile:`) after the scenario's own folder.
        public var payloadPaths: [String]
        /// In-process only: run on the real clock instead of a virtual one. Default false.
        public var realTime: Bool
        /// Quiet time that lets virtual time move on (see `TimeDriver`). Default 15 ms.
        public var quietPeriod: Duration
        public var logger: Logger

        public init(
            seed: UInt64? = nil, payloadPaths: [String] = [], realTime: Bool = false, quietPeriod: Duration = .milliseconds(15),
            logger: Logger = ScenarioRunner.quietLogger
        ) {
            self.seed = seed
            self.payloadPaths = payloadPaths
            self.realTime = realTime
            self.quietPeriod = quietPeriod
            self.logger = logger
        }
    }

    /// A logger that only reports critical problems (the default: scenario output is the report).
    public static let quietLogger: Logger = {
        var logger = Logger(label: "synapse.scenarios")
        logger.logLevel = .critical
        return logger
    }()

    /// Where the mocks come from.
    public let mocks: any MockSetProvider
    public let options: Options

    public init(mocks: any MockSetProvider, options: Options = .init()) {
        self.mocks = mocks
        self.options = options
    }

    /// Whether this run moves a virtual clock: the provider can, and `realTime` is off.
    var runsOnVirtualTime: Bool { mocks.capabilities.contains(.virtualTime) && !options.realTime }

    /// Runs each scenario with a fresh in-process gateway and a mock set from `mocks`, in order.
    public func run(_ scenarios: [Scenario]) async -> ScenarioReport {
        await runAll(scenarios) { scenario in
            if let skipped = skipped(scenario, virtualTime: runsOnVirtualTime) { return skipped }
            do {
                return try await InProcessHarness.withTarget(
                    for: scenario, mocks: mocks, virtualTime: runsOnVirtualTime && !scenario.hasLoad,
                    logger: options.logger
                ) { target in
                    await self.run(scenario, on: target, resetFirst: false)
                }
            } catch {
                return ScenarioResult(
                    name: scenario.name, file: scenario.file, description: scenario.description,
                    seed: seed(for: scenario), error: "\(error)")
            }
        }
    }

    /// Runs each scenario against a running gateway (`gatewayURL`, backed by `mocks`'s mock set)
    /// on real time, in order. `voiceLibraryDir`: the gateway's voice library, when on this machine.
    public func run(_ scenarios: [Scenario], gatewayURL: String, voiceLibraryDir: String? = nil) async -> ScenarioReport {
        await runAll(scenarios) { scenario in
            // A running gateway keeps its own configuration: rather than fail on whatever the
            // overrides would have changed, say what the scenario needs.
            guard scenario.config == nil else {
                return ScenarioResult(
                    name: scenario.name, file: scenario.file, description: scenario.description, seed: seed(for: scenario),
                    error: "needs the in-process mode: its `config:` overrides (line \(scenario.configLine ?? 0)) cannot change a running gateway")
            }
            if let skipped = skipped(scenario, virtualTime: false) { return skipped }
            do {
                return try await mocks.withMockSet(mocks: scenario.mocks, clock: nil, logger: options.logger) { set in
                    let target = ScenarioTarget(gatewayURL: gatewayURL, mocks: set, time: .real, voiceLibraryDir: voiceLibraryDir)
                    return await self.run(scenario, on: target, resetFirst: true)
                }
            } catch {
                return ScenarioResult(
                    name: scenario.name, file: scenario.file, description: scenario.description,
                    seed: seed(for: scenario), error: "\(error)")
            }
        }
    }

    /// The skipped result when `scenario` requires virtual time and this run has none.
    private func skipped(_ scenario: Scenario, virtualTime: Bool) -> ScenarioResult? {
        guard scenario.requires.contains(.virtualTime), !virtualTime else { return nil }
        var result = ScenarioResult(name: scenario.name, file: scenario.file, description: scenario.description, seed: seed(for: scenario))
        result.skipped = "needs virtualTime: this run is on real time (a remote mock set, a running gateway or --real-time)"
        return result
    }

    private func runAll(_ scenarios: [Scenario], _ one: (Scenario) async -> ScenarioResult) async -> ScenarioReport {
        let started = ContinuousClock.now
        var results: [ScenarioResult] = []
        for scenario in scenarios {
            let scenarioStarted = ContinuousClock.now
            var result = await one(scenario)
            result.wallTime = ContinuousClock.now - scenarioStarted
            results.append(result)
        }
        return ScenarioReport(scenarios: results, wallTime: ContinuousClock.now - started)
    }

    func seed(for scenario: Scenario) -> UInt64 { options.seed ?? scenario.seed }

    /// Runs one scenario's steps on `target`.
    func run(_ scenario: Scenario, on target: ScenarioTarget, resetFirst: Bool) async -> ScenarioResult {
        var result = ScenarioResult(name: scenario.name, file: scenario.file, description: scenario.description, seed: seed(for: scenario))
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: Self.clientConfiguration)
        let start = target.now()
        var execution = StepExecution(
            scenario: scenario, target: target, calls: HTTPCalls(client: client),
            driver: TimeDriver(time: target.time, quietPeriod: options.quietPeriod),
            payloads: PayloadBuilder(seed: seed(for: scenario), searchPaths: [(scenario.file as NSString).deletingLastPathComponent] + options.payloadPaths),
            seed: seed(for: scenario))
        do {
            if resetFirst { try await execution.resetTarget() }
            for (index, step) in scenario.steps.enumerated() {
                result.steps.append(await execution.run(step, index: index + 1))
            }
        } catch {
            result.error = "\(error)"
        }
        result.scenarioTime = target.now() - start
        try? await client.shutdown()
        return result
    }

    static var clientConfiguration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.decompression = .disabled
        // A refused connection must reach the scenario as it is, not be retried by the client.
        configuration.connectionPool.retryConnectionEstablishment = false
        // Every request of a step gets its own connection at once (concurrency is at most 1000):
        // one queued in the client's pool would be "in flight" for the time driver yet invisible
        // to the gateway, and hold the virtual clock until the driver's stall limit.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 1_000
        return configuration
    }
}
