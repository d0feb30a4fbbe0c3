import SynapseCore

extension PlaybackRouting {
    /// A client path the gateway forwards to another path on its backend (`ForwardRoute` in the
    /// gateway, which this module does not import: the caller copies the table).
    public struct Forward: Sendable, Equatable {
        /// Upper-cased, e.g. `POST`.
        public var method: String
        /// The client path, e.g. `/stt/transcribe`.
        public var path: String
        /// The backend path, e.g. `/transcribe`.
        public var backendPath: String

        public init(method: String, path: String, backendPath: String) {
            self.method = method
            self.path = path
            self.backendPath = backendPath
        }
    }

    /// Unannotated exchanges mapped as the gateway would forward them: the backend from the
    /// route rules (most specific first), the backend path from `forwards`, or the same path for
    /// a backend in `samePath` (the OpenAI-compatible ones, whose chat and model routes the
    /// gateway forwards unchanged). Anything else maps nowhere, such as the TTS routes, whose
    /// requests the gateway rewrites for Chatterbox.
    public static func gateway(rules: [RouteRule], forwards: [Forward], samePath: Set<String>) -> PlaybackRouting {
        PlaybackRouting { method, target in
            let path = String(target.prefix { $0 != "?" })
            let query = target.dropFirst(path.count)
            guard let backend = RouteRule.mostSpecific(rules, matching: path)?.backend.rawValue else { return nil }
            if let forward = forwards.first(where: { $0.method == method && $0.path == path }) {
                return Destination(backend: backend, target: forward.backendPath + query)
            }
            return samePath.contains(backend) ? Destination(backend: backend, target: target) : nil
        }
    }

    /// Unannotated exchanges were recorded straight against `backend`: served at their own path.
    public static func direct(to backend: String) -> PlaybackRouting {
        PlaybackRouting { _, target in Destination(backend: backend, target: target) }
    }
}
