import SynapseCore

/// One `SharedCircuitBreaker` per configured backend, built with a configuration and then frozen.
///
/// The dictionary never changes after `init`, so lookups need no lock; each breaker guards its own
/// state. The gateway keeps one registry per configuration and hands `registry[backend]` to the
/// forwarding path, and reads `snapshots` for the admin API, health output and gauges. A reloaded
/// configuration gets a new registry that carries over the breakers of unchanged backends.
public struct BreakerRegistry<C: Clock>: Sendable where C.Duration == Duration {
    private let breakers: [BackendID: SharedCircuitBreaker<C>]

    /// A breaker for each backend, configured from its `breaker:` settings.
    ///
    /// - Parameter onTransition: called for every state change of any breaker, with the backend it
    ///   belongs to (outside the breaker's lock; must not block).
    /// - Parameter keeping: breakers to carry over as they are, state and all (a reload's
    ///   unchanged backends); the others start closed.
    public init(
        backends: [BackendConfig],
        clock: C,
        keeping: [BackendID: SharedCircuitBreaker<C>] = [:],
        onTransition: @escaping @Sendable (BackendID, BreakerTransition) -> Void = { _, _ in }
    ) {
        var breakers: [BackendID: SharedCircuitBreaker<C>] = [:]
        for backend in backends {
            let id = backend.id
            if let kept = keeping[id] {
                breakers[id] = kept
                continue
            }
            breakers[id] = SharedCircuitBreaker(configuration: CircuitBreakerConfiguration(backend.breaker), clock: clock) {
                onTransition(id, $0)
            }
        }
        self.breakers = breakers
    }

    /// The breaker guarding `backend`, or `nil` for a backend that is not configured.
    public subscript(backend: BackendID) -> SharedCircuitBreaker<C>? { breakers[backend] }

    /// The breakers of `backends`, for a registry that keeps them (`init(backends:clock:keeping:)`).
    public func breakers(of backends: Set<BackendID>) -> [BackendID: SharedCircuitBreaker<C>] {
        breakers.filter { backends.contains($0.key) }
    }

    /// Every configured backend, sorted.
    public var backends: [BackendID] { breakers.keys.sorted() }

    /// A snapshot of every breaker, as of now.
    public var snapshots: [BackendID: BreakerSnapshot] { breakers.mapValues(\.snapshot) }
}
