import SynapseCore

/// One `SharedCircuitBreaker` per configured backend, built once at startup and then frozen.
///
/// The dictionary never changes after `init`, so lookups need no lock; each breaker guards its own
/// state. The gateway keeps one registry and hands `registry[backend]` to the forwarding path, and
/// reads `snapshots` for the admin API, health output and gauges.
public struct BreakerRegistry<C: Clock>: Sendable where C.Duration == Duration {
    private let breakers: [BackendID: SharedCircuitBreaker<C>]

    /// A breaker for each backend, configured from its `breaker:` settings.
    ///
    /// - Parameter onTransition: called for every state change of any breaker, with the backend it
    ///   belongs to (outside the breaker's lock; must not block).
    public init(
        backends: [BackendConfig],
        clock: C,
        onTransition: @escaping @Sendable (BackendID, BreakerTransition) -> Void = { _, _ in }
    ) {
        var breakers: [BackendID: SharedCircuitBreaker<C>] = [:]
        for backend in backends {
            let id = backend.id
            breakers[id] = SharedCircuitBreaker(configuration: CircuitBreakerConfiguration(backend.breaker), clock: clock) {
                onTransition(id, $0)
            }
        }
        self.breakers = breakers
    }

    /// The breaker guarding `backend`, or `nil` for a backend that is not configured.
    public subscript(backend: BackendID) -> SharedCircuitBreaker<C>? { breakers[backend] }

    /// Every configured backend, sorted.
    public var backends: [BackendID] { breakers.keys.sorted() }

    /// A snapshot of every breaker, as of now.
    public var snapshots: [BackendID: BreakerSnapshot] { breakers.mapValues(\.snapshot) }
}
