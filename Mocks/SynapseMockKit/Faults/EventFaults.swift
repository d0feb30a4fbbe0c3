import Hummingbird
import SynapseCore

/// The faults a mock consults at its own events (`MockEvent`) while it handles one request,
/// found in `MockRequestContext.eventFaults`.
///
/// Two sources, as for request faults: the request's `X-Mock-Fault` header (which arms its event
/// for this request only) and the mock's `FaultTable`, whose rules for the event keep their
/// route, method, `times`, `every` and `probability` policy. Asking charges the matching rule's
/// schedule, so a mock asks once per event, when the event really happens.
public struct EventFaults: Sendable {
    /// The mock's rules; nil where no `MockHost` serves the mock.
    let table: FaultTable?
    /// Events armed by this request's `X-Mock-Fault` header.
    var armed: Set<MockEvent> = []

    init(table: FaultTable?) {
        self.table = table
    }

    /// No rules at all (a context built outside a `MockHost`).
    public static let none = EventFaults(table: nil)

    /// Whether a fault strikes at `event`, which `request` caused.
    public func fires(_ event: MockEvent, for request: Request) -> Bool {
        if armed.contains(event) { return true }
        return table?.select(event: event, method: request.method.rawValue, path: request.uri.path) != nil
    }
}
