import NIOCore
import NIOHTTP1
import NIOPosix
import SynapseLoadReport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Transport errors classified once, where they surface: everything after this switches on the kind.
extension RequestSample.FailureKind {
    init(error: any Error) {
        switch error {
        case let error as IOError:
            switch error.errnoCode {
            case ECONNREFUSED: self = .refused
            case ECONNRESET, EPIPE, ECONNABORTED: self = .reset
            case ETIMEDOUT: self = .timeout
            default: self = .other
            }
        case let error as NIOConnectionError:
            // Every address failed; the first one's reason stands for the rest.
            self = error.connectionErrors.first.map { Self(error: $0.error) } ?? .other
        case let error as ChannelError:
            switch error {
            case .connectTimeout: self = .timeout
            case .eof, .ioOnClosedChannel, .outputClosed, .alreadyClosed: self = .reset
            default: self = .other
            }
        case let error as HTTPParserError:
            // The connection ended inside the answer: the peer hung up on us.
            if case .invalidEOFState = error { self = .reset } else { self = .other }
        default:
            self = .other
        }
    }
}
