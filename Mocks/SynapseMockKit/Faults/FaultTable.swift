import SynapseCore
import Synchronization

/// The fault rules active on one mock, in injection order, with their running schedules.
///
/// Each request is offered to the matching rules in order; the first whose schedule admits it
/// wins, and later rules do not see (or count) that request. Spent rules are dropped.
public final class FaultTable: Sendable {
    /// One admitted request: the rule that fired and randomness derived from its seed.
    public struct Hit: Sendable {
        public let rule: FaultRule
        public let random: SplitMix64
    }

    private struct State {
        var schedules: [FaultSchedule] = []
        var nextID = 1
    }

    private let state = Mutex(State())

    public init() {}

    /// The active rules, in order.
    public var rules: [FaultRule] {
        state.withLock { $0.schedules.map(\.rule) }
    }

    /// Adds a rule, giving it an id (`f1`, `f2`, …) unless it has one; returns the stored rule.
    /// A rule whose id is taken replaces the old one.
    @discardableResult
    public func add(_ rule: FaultRule) -> FaultRule {
        state.withLock { state in
            var rule = rule
            if rule.id.isEmpty {
                rule.id = "f\(state.nextID)"
                state.nextID += 1
            }
            state.schedules.removeAll { $0.rule.id == rule.id }
            state.schedules.append(FaultSchedule(rule: rule))
            return rule
        }
    }

    /// Removes one rule; returns whether it existed.
    @discardableResult
    public func remove(id: String) -> Bool {
        state.withLock { state in
            let before = state.schedules.count
            state.schedules.removeAll { $0.rule.id == id }
            return state.schedules.count != before
        }
    }

    /// Removes every rule.
    public func removeAll() {
        state.withLock { $0.schedules.removeAll() }
    }

    /// Offers a request to the rules of request faults; returns the one that fires, if any.
    public func select(method: String, path: String) -> Hit? {
        select(event: nil, method: method, path: path)
    }

    /// Offers a mock event (nil: the request itself), caused by a request with this method and
    /// path, to the rules whose fault strikes at it; returns the one that fires, if any.
    public func select(event: MockEvent?, method: String, path: String) -> Hit? {
        state.withLock { state in
            defer { state.schedules.removeAll { $0.isSpent } }
            for index in state.schedules.indices
            where state.schedules[index].rule.spec.fault.event == event && state.schedules[index].rule.match.matches(method: method, path: path) {
                guard state.schedules[index].admit() else { continue }
                let schedule = state.schedules[index]
                // Per-hit randomness: the rule's seed mixed with the hit number, so hits differ
                // from one another but replay identically for the same seed.
                let seed = (schedule.rule.seed ?? 0) ^ (UInt64(schedule.hits) &* 0x9E37_79B9_7F4A_7C15)
                return Hit(rule: schedule.rule, random: SplitMix64(seed: seed))
            }
            return nil
        }
    }

    /// Whether any active rule has a fault with these capabilities.
    public func contains(capabilities: FaultCapabilities) -> Bool {
        state.withLock { state in
            state.schedules.contains { $0.rule.spec.fault.capabilities.isSuperset(of: capabilities) }
        }
    }
}
