import SynapseCore
import SynapseMockKit
import Testing

/// Faults bound to a mock event (`load_failure` → `MockEvent.modelLoad`) live in the same table as
/// request faults but are offered only to their event, with the rule's policy.
@Suite struct EventFaultTests {
    @Test func eventFaultsAreInvisibleToRequestsAndRequestFaultsToEvents() {
        let table = FaultTable()
        table.add(FaultRule(.loadFailure))
        table.add(FaultRule(.status(code: 503)))
        #expect(table.select(method: "POST", path: "/models/load")?.rule.spec == .status(code: 503))
        #expect(table.select(event: .modelLoad, method: "POST", path: "/models/load")?.rule.spec == .loadFailure)
        #expect(table.select(event: MockEvent(rawValue: "other"), method: "POST", path: "/models/load") == nil)
    }

    @Test func anEventRuleKeepsItsRouteAndTimes() {
        let table = FaultTable()
        table.add(FaultRule(.loadFailure, match: .init(route: "/models/load"), times: 2))
        #expect(table.select(event: .modelLoad, method: "POST", path: "/v1/chat/completions") == nil)
        #expect(table.select(event: .modelLoad, method: "POST", path: "/models/load") != nil)
        #expect(table.select(event: .modelLoad, method: "POST", path: "/models/load") != nil)
        #expect(table.select(event: .modelLoad, method: "POST", path: "/models/load") == nil)
        #expect(table.rules.isEmpty)
    }

    @Test func loadFailureHasACompactAndAJSONForm() throws {
        #expect(try FaultSpec(compact: "load_failure") == .loadFailure)
        #expect(FaultSpec.loadFailure.description == "load_failure")
        #expect(FaultSpec.loadFailure.kind.rawValue == "load_failure")
        #expect(FaultSpec.loadFailure.fault.event == .modelLoad)
        #expect(FaultSpec.status(code: 500).fault.event == nil)
    }
}
