import Hummingbird

/// One mock backend: its real HTTP protocol, with deterministic answers computed from the input.
///
/// A mock only describes routes. `MockHost` serves it (on port 0 in tests), and the fault
/// engine and request journal wrap every route it adds, so a mock never thinks about faults.
public protocol MockServer: Sendable {
    /// The backend's name as used in `backends.yaml` and the control API, e.g. `llama-embed`.
    var name: String { get }
    /// The backend `type` written into a generated `backends.yaml` (e.g. `openai-compatible`).
    var backendType: String { get }
    /// The path the gateway probes for health, e.g. `/health`.
    var healthPath: String { get }
    /// The value of the `Server` response header the real backend sends (`llama.cpp`, `uvicorn`), if any.
    var serverHeader: String? { get }

    /// Adds the backend's routes.
    func addRoutes(to router: Router<MockRequestContext>)

    /// An error response in this backend's own error format, used by `status` faults.
    func errorResponse(status: HTTPResponse.Status, message: String) -> Response

    /// Forgets all state (uploads, loaded models), as after a restart of the real server.
    func reset() async
}

extension MockServer {
    public var serverHeader: String? { nil }
    public func reset() async {}
}
