import SynapseCore

/// The actions on the mock set (`fault`, `clear`, `reset`), usable from the step itself and from
/// `during:` tasks that run while requests are in flight.
struct ControlActions: Sendable {
    let mocks: any MockSet
    /// The scenario's seed, given to probability faults that have none of their own.
    let seed: UInt64

    /// Performs `action`; returns a problem description when the mock set refused it.
    func perform(_ action: Step.Action) async throws -> String? {
        do {
            switch action {
            case .fault(let mock, let rule):
                var rule = rule
                // A coin without its own seed follows the scenario's, so `--seed` changes it.
                if rule["probability"] != nil, rule["seed"] == nil { rule = rule.merged(with: .object([("seed", .number(Double(seed)))])) }
                try await mocks.inject(rule, into: mock)
            case .clear(let names):
                for mock in try await mockNames(names) { try await mocks.clearFaults(of: mock) }
            case .reset(let mock):
                try await mocks.reset(mock)
            case .request, .wait, .load, .expect:
                break
            }
            return nil
        } catch let refusal as MockSetRefusal {
            return refusal.description
        }
    }

    /// The mocks named, or every mock the mock set serves.
    func mockNames(_ names: [String]?) async throws -> [String] {
        if let names { return names }
        return try await mocks.backends().map(\.name)
    }
}
