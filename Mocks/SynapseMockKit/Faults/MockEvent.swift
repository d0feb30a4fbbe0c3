/// A moment in a mock's own protocol, rather than an HTTP request, at which a fault can strike:
/// a model-serving mock starting a model load, for instance. A fault bound to an event
/// (`Fault.event`) is never applied by `FaultInjector`; the mock asks for it through
/// `EventFaults.fires(_:for:)` when the event happens, and acts on it in its own terms.
public struct MockEvent: RawRepresentable, Hashable, Sendable {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A model load starts (the llama router spawning a child for a model).
    public static let modelLoad = MockEvent(rawValue: "model_load")
}
