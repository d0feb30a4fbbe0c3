import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import SynapseClock

/// A transport error from a backend attempt, classified once, at the client edge.
/// Everything downstream switches on this, never on error text.
enum UpstreamFailure: Error, Equatable {
    /// The connection could not be opened (refused, connect timeout, DNS): the request never left.
    case connectFailed(String)
    /// The connection broke before a response head arrived.
    case reset
    /// The total deadline passed.
    case deadlineExceeded
    /// The backend answered something that is not HTTP.
    case malformedResponse(String)
    /// Our own task was cancelled (the client went away).
    case cancelled
    /// The TLS handshake with an `https` backend failed (its certificate not trusted, ours
    /// refused, a file that would not load): why, in words.
    case tlsFailed(String)
    /// Anything else.
    case other(String)

    static func classify(_ error: any Error) -> UpstreamFailure {
        if let failure = error as? UpstreamFailure { return failure }
        // The request's deadline won the race on the injected clock (`Deadline.run`).
        if error is DeadlineExceeded { return .deadlineExceeded }
        if error is CancellationError { return .cancelled }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return .connectFailed("connect timeout")
            case .deadlineExceeded, .readTimeout: return .deadlineExceeded
            case .remoteConnectionClosed: return .reset
            case .cancelled: return .cancelled
            // Local congestion, not the backend's fault: must not count towards its breaker.
            case .getConnectionFromPoolTimeout: return .other("no pooled connection available")
            default: return .other("\(error)")
            }
        }
        if error is NIOConnectionError { return .connectFailed(describeConnectError(error)) }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError { return .tlsFailed(describeTLSError(error)) }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout: return .connectFailed("connect timeout")
            case .ioOnClosedChannel, .alreadyClosed, .eof, .outputClosed: return .reset
            default: return .other("\(error)")
            }
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EHOSTDOWN: return .connectFailed("connection refused")
            case ECONNRESET, EPIPE: return .reset
            default: return .other("\(error)")
            }
        }
        if error is HTTPParserError || error is NIOHTTPDecoderError { return .malformedResponse("\(error)") }
        if error is SocketAddressError { return .connectFailed("cannot resolve host") }
        return .other("\(error)")
    }

    /// BoringSSL's reason, in the words an operator looks for.
    private static func describeTLSError(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("CERTIFICATE_VERIFY_FAILED") { return "its certificate is not signed by a trusted CA (CERTIFICATE_VERIFY_FAILED)" }
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname { return "its certificate does not name this host" }
        if text.contains("CERTIFICATE_REQUIRED") || text.contains("SSLV3_ALERT_BAD_CERTIFICATE") || text.contains("TLSV1_ALERT_UNKNOWN_CA") {
            return "it refused the gateway's client certificate (\(text))"
        }
        return text
    }

    private static func describeConnectError(_ error: any Error) -> String {
        guard let error = error as? NIOConnectionError else { return "cannot connect" }
        if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty { return "cannot resolve host" }
        if let first = error.connectionErrors.first?.error as? IOError, first.errnoCode == ECONNREFUSED { return "connection refused" }
        return "cannot connect"
    }
}
