import Foundation
import Logging
import MockAudio
import SynapseClock
import SynapseCore
import SynapseMockKit
import SynapseMocks
import SynapseScenarios

/// The scenario runner's mock sets started in this process: a fresh `MockCluster` per scenario,
/// sleeping on the runner's `VirtualClock` when it passes one (hence `.virtualTime`).
///
/// ```
/// ScenarioRunner ──withMockSet(mocks:clock:)──▶ InProcessMockSets ──▶ MockCluster (+ control API)
///                ◀──────── ClusterMockSet: handles, journals, MockSpeech ─────┘
/// ```
/// Faults, journals and resets go straight to the mocks' handles (no HTTP), with the same JSON
/// the control API would speak, so a scenario sees the same thing in-process and remotely.
public struct InProcessMockSets: MockSetProvider {
    /// How the mocks are configured. Default `.synapse`.
    public var profile: MockCatalogue.Profile

    public init(profile: MockCatalogue.Profile = .synapse) {
        self.profile = profile
    }

    public var capabilities: MockSetCapabilities { [.virtualTime] }

    public func withMockSet<T: Sendable>(
        mocks: [String]?, clock: VirtualClock?, logger: Logger, _ body: @Sendable (any MockSet) async throws -> T
    ) async throws -> T {
        let cluster: MockCluster
        do {
            cluster = try MockCluster(configuration: .init(only: mocks, profile: profile), time: clock?.mockTime() ?? .system, logger: logger)
        } catch {
            throw ScenarioError.setupFailed("mocks: \(error)")
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await cluster.run() }
            // Whatever happens below, cancelling the group stops the mocks.
            defer { group.cancelAll() }
            let endpoints = try await cluster.endpoints()
            return try await body(ClusterMockSet(entries: cluster.entries, endpoints: endpoints))
        }
    }
}

/// A running in-process cluster as a `MockSet`.
struct ClusterMockSet: MockSet {
    let entries: [MockCatalogue.Entry]
    let endpoints: MockCluster.Endpoints

    func backends() async throws -> [MockBackend] {
        zip(entries, endpoints.mocks).map { entry, mock in
            MockBackend(name: entry.name, baseURL: mock.baseURL, type: entry.type, health: entry.health, routes: entry.routes)
        }
    }

    func inject(_ rule: JSONValue, into mock: String) async throws {
        let handle = try self.handle(mock)
        let decoded: FaultRule
        do {
            decoded = try JSONDecoder().decode(FaultRule.self, from: Data(rule.text().utf8))
        } catch {
            throw MockSetRefusal("the mock set refused the fault: \(MockError.invalidFault(from: error).message)")
        }
        do {
            try await handle.inject(decoded)
        } catch let error as MockError {
            throw MockSetRefusal("the mock set refused the fault: \(error.message)")
        }
    }

    func clearFaults(of mock: String) async throws {
        try await handle(mock).clearFaults()
    }

    func journal(of mock: String) async throws -> [JSONValue] {
        let data = try ControlAPI.journalJSON(of: try handle(mock))
        return (try? JSONValue.parse(data))?["entries"]?.arrayValue ?? []
    }

    func reset(_ mock: String) async throws {
        try await handle(mock).reset()
    }

    func synthesizeSpeech(text: String, voice: String) async throws -> [UInt8] {
        MockSpeech.synthesize(text: text, voice: voice)
    }

    private func handle(_ name: String) throws -> MockHandle {
        guard let handle = endpoints.mock(named: name) else { throw MockSetRefusal("unknown mock '\(name)'") }
        return handle
    }
}
