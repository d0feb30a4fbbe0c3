import SynapseCore

/// The actions on the mocks control API (`fault`, `clear`, `reset`), usable from the step itself
/// and from `during:` tasks that run while requests are in flight.
struct ControlActions: Sendable {
    let calls: HTTPCalls
    let controlURL: String
    /// The scenario's seed, given to probability faults that have none of their own.
    let seed: UInt64

    /// Performs `action`; returns a problem description when the control API refused it.
    func perform(_ action: Step.Action) async throws -> String? {
        switch action {
        case .fault(let mock, let rule):
            var rule = rule
            // A coin without its own seed follows the scenario's, so `--seed` changes it.
            if rule["probability"] != nil, rule["seed"] == nil { rule = rule.merged(with: .object([("seed", .number(Double(seed)))])) }
            let answer = try await calls.json("POST", "\(controlURL)/mocks/\(mock)/faults", body: rule)
            return answer.status == 201 ? nil : "the control API refused the fault: \(answer.status) \(answer.json?.text() ?? "")"
        case .clear(let mocks):
            for mock in try await mockNames(mocks) {
                let answer = try await calls.json("DELETE", "\(controlURL)/mocks/\(mock)/faults")
                if answer.status >= 300 { return "clearing faults of \(mock) answered \(answer.status)" }
            }
            return nil
        case .reset(let mock):
            let answer = try await calls.json("POST", "\(controlURL)/mocks/\(mock)/reset")
            return answer.status < 300 ? nil : "reset of \(mock) answered \(answer.status)"
        case .request, .wait, .expect:
            return nil
        }
    }

    /// The mocks named, or every mock the control API lists.
    func mockNames(_ names: [String]?) async throws -> [String] {
        if let names { return names }
        let answer = try await calls.json("GET", "\(controlURL)/mocks")
        return answer.json?["mocks"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }
}
