import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
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

    private static func describeConnectError(_ error: any Error) -> String {
        guard let error = error as? NIOConnectionError else { return "cannot connect" }
        if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty { return "cannot resolve host" }
        if let first = error.connectionErrors.first?.error as? IOError, first.errnoCode == ECONNREFUSED { return "connection refused" }
        return "cannot connect"
    }
}
