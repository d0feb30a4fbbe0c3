import SynapseCore

/// One typed event of `GET /events`: a decision or action of the gateway, as it happened.
public struct GatewayEvent: Sendable {
    /// The event types, as `event:` names and the `types=` filter spells them.
    public enum Kind: String, Sendable, CaseIterable {
        /// A circuit breaker moved (`from`, `to`, `reason`).
        case breaker
        /// An upstream attempt failed and is retried (`attempt`, `delay_ms`, `cause`).
        case retry
        /// A request ran out of its deadline (`after_ms`).
        case timeout
        /// A voice was created or deleted (`action`, `voice_id`).
        case voice
        /// A model on the router: `action` `loading` (the router accepted a load), `loaded` (a
        /// chat's load finished, `duration_ms`), `unloaded`, or `failed` (`reason`, `status`); `model`.
        case model
        /// A voice's reference was uploaded to the TTS backend on a clone-cache miss (`action`
        /// `uploaded`, `voice_id`, `reference`, `bytes`), or the upload `failed` (`status`).
        case reference
        /// The configuration the gateway runs on: `loaded` at start (`backends`, `routes`).
        case config
        /// One summary per request (`method`, `route`, `status`, `duration_ms`, `overhead_ms`),
        /// kept only while someone listens: it is on every request's path.
        case request
    }

    /// Increasing from 1 for the process's life: the SSE `id:` and what `Last-Event-ID` names.
    public let id: UInt64
    public let kind: Kind
    public let backend: String?
    /// ISO 8601, wall clock.
    public let time: String
    public let fields: [(String, JSONValue)]

    /// The `data:` object: `id`, `type`, `ts`, `backend` when there is one, then the fields.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("id", .number(Double(id))), ("type", .string(kind.rawValue)), ("ts", .string(time))]
        if let backend { members.append(("backend", .string(backend))) }
        return .object(members + fields)
    }

    /// `id: 7` / `event: breaker` / `data: {…}` and the blank line.
    var frame: String { "id: \(id)\nevent: \(kind.rawValue)\ndata: \(json.text())\n\n" }
}

/// Which events a client of `GET /events` asked for: `types=breaker,retry`, `backend=llama-embed`
/// (comma-separated; absent: all).
struct GatewayEventFilter: Sendable, Equatable {
    var kinds: Set<GatewayEvent.Kind>?
    var backends: Set<String>?

    func admits(_ event: GatewayEvent) -> Bool {
        if let kinds, !kinds.contains(event.kind) { return false }
        if let backends {
            guard let backend = event.backend, backends.contains(backend) else { return false }
        }
        return true
    }
}
