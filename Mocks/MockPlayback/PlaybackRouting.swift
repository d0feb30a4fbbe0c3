import SynapseHAR

/// Which backend serves a recorded exchange, and at which path.
///
/// An exchange Synapse recorded names its backend and the path the gateway called in `_synapse`
/// (none for the gateway's own routes, which no backend serves). Any other exchange (a browser
/// export, a recording made straight against a backend) goes through `unannotated`, which the
/// caller supplies: the `synapse` executable builds it from the gateway's route tables, which this
/// module does not import.
public struct PlaybackRouting: Sendable {
    /// A backend and the path (and query) on it.
    public struct Destination: Sendable, Equatable {
        public var backend: String
        public var target: String

        public init(backend: String, target: String) {
            self.backend = backend
            self.target = target
        }
    }

    /// Where one exchange goes.
    public enum Resolution: Sendable, Equatable {
        case backend(Destination)
        /// Synapse recorded it and no backend took part (voices, health, the pages).
        case gatewayOwn
        /// No `_synapse`, and the caller's mapping knows no backend for it.
        case unmapped
    }

    /// Maps an unannotated exchange's method and target (path and query as the client called
    /// them) to a destination, or nil.
    public var unannotated: @Sendable (_ method: String, _ target: String) -> Destination?

    /// By default unannotated exchanges map nowhere.
    public init(unannotated: @escaping @Sendable (_ method: String, _ target: String) -> Destination? = { _, _ in nil }) {
        self.unannotated = unannotated
    }

    /// Where `exchange` is served.
    public func resolve(_ exchange: RecordedExchange) -> Resolution {
        if let synapse = exchange.entry.synapse {
            guard let backend = synapse.backend else { return .gatewayOwn }
            return .backend(Destination(backend: backend, target: synapse.upstreamPath ?? exchange.target))
        }
        return unannotated(exchange.method.uppercased(), exchange.target).map(Resolution.backend) ?? .unmapped
    }
}
