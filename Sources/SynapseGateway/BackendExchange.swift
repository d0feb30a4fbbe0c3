import AsyncHTTPClient
import Hummingbird
import SynapseClock
import SynapseCore

/// What the gateway's own backend conversations (the TTS flows, the model router's client) need
/// from the forwarding mechanism, and no more: which configured backend serves a path, sending a
/// request the gateway built under that backend's breaker, retries and deadline, and relaying the
/// backend's answer. `Forwarder` provides it; route planning and pass-through stay its business.
protocol BackendExchange: Sendable {
    /// The backend the configuration's route table names for a client path, and the total
    /// deadline there (`fallback` when neither rule nor backend names a profile); 503 when none.
    func backend(servingPath path: String, fallback: TimeoutProfile) throws -> (BackendConfig, Duration)
    /// The backend URL of `path` (and `query`).
    func upstreamURL(backend: BackendConfig, path: String, query: String?) -> String
    /// The request's deadline, `timeout` from now on the gateway's clock: made once, passed down.
    func deadline(after timeout: Duration) -> Deadline<AnyClock>
    /// Sends `request` to `backend` within `deadline` (`timeout` names the limit in a 504); the
    /// response whatever its status.
    func exchange(
        _ request: HTTPClientRequest, backend: BackendConfig, timeout: Duration,
        deadline: Deadline<AnyClock>?
    ) async throws -> UpstreamCaller.Result
    /// The gateway's tracer, for steps that should show as spans of their own (`Tracer.withSpan`).
    var tracer: Tracer { get }
    /// The client response for a backend response, presented as asked.
    func respond(
        with upstream: HTTPClientResponse, backend: BackendConfig, presentation: ResponsePresentation,
        deadline: Deadline<AnyClock>
    ) async throws -> Response
}

extension Forwarder: BackendExchange {}
