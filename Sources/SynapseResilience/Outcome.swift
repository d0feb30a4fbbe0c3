/// One upstream attempt, classified once at the `BackendClient` edge.
///
/// Everything downstream (breaker, retry policy, metrics, error mapping) switches on this value
/// instead of inspecting transport errors, so the classification rules live in exactly one place.
public enum Outcome: Sendable, Hashable {
    /// The backend answered with an HTTP response head (any status, 1xx excluded by the client).
    case response(status: Int)
    /// No connection was established; the request certainly never reached the backend.
    case connectFailed(ConnectFailure)
    /// A timeout fired after the connection was established.
    case timedOut(TimeoutPhase)
    /// The connection was reset or closed by the peer before any response byte arrived.
    ///
    /// `beforeRequestSent` is `true` only when not a single byte of the request had been written,
    /// which makes the attempt as harmless as a refused connection.
    case reset(beforeRequestSent: Bool)
    /// The client went away (or the task was cancelled) before the attempt finished.
    case cancelled
    /// The TLS handshake failed (the backend's certificate not trusted, ours refused): the request
    /// never left, but trying again cannot help. Counted by the breaker, never retried.
    case tlsFailed

    /// `true` for a failed connection attempt: refused, connect timeout, DNS failure, or a reset
    /// before any byte of the request reached the backend. Only these may be retried; they and a
    /// failed TLS handshake (`tlsFailed`) count towards opening the breaker.
    public var isConnectionFailure: Bool {
        switch self {
        case .connectFailed: true
        case .reset(let beforeRequestSent): beforeRequestSent
        case .response, .timedOut, .cancelled, .tlsFailed: false
        }
    }

    /// The HTTP status, if the backend answered.
    public var status: Int? {
        if case .response(let status) = self { status } else { nil }
    }

    /// A stable, low-cardinality label for metrics and logs
    /// (`synapse_upstream_attempts_total{outcome="connect_failed"}`).
    public var label: String {
        switch self {
        case .response: "response"
        case .connectFailed: "connect_failed"
        case .timedOut: "timeout"
        case .reset(let beforeRequestSent): beforeRequestSent ? "reset_before_request" : "reset"
        case .cancelled: "cancelled"
        case .tlsFailed: "tls_failed"
        }
    }
}

/// Why a connection could not be established.
public enum ConnectFailure: String, Sendable, Hashable, CaseIterable {
    /// The peer actively refused the connection (`ECONNREFUSED`).
    case refused
    /// The TCP (or TLS) handshake did not finish within the connect timeout.
    case timedOut
    /// The host name could not be resolved.
    case dnsFailure
    /// Any other error raised before the connection was usable (unreachable network, TLS failure).
    case other
}

/// Where a timeout that fired after connecting was waiting.
public enum TimeoutPhase: String, Sendable, Hashable, CaseIterable {
    /// The request was sent; the response head never came.
    case responseHead
    /// A streamed body went quiet for longer than the idle timeout.
    case idle
    /// The request's total deadline passed.
    case deadline
}
