import AsyncHTTPClient
import Hummingbird
import NIOCore

/// The body of a backend request, decided once before the first attempt.
enum UpstreamBody: Sendable {
    case none
    /// A small body held in memory (JSON): every attempt sends it whole.
    case bytes(ByteBuffer)
    /// The client's upload, streamed through as it arrives.
    case stream(BodySource, length: Int64?)

    /// The body for one attempt. Attempts share one `BodySource`, so a retry continues the same
    /// client stream instead of asking Hummingbird for a second iterator.
    var requestBody: HTTPClientRequest.Body? {
        switch self {
        case .none: nil
        case .bytes(let buffer): .bytes(buffer)
        case .stream(let source, let length): .stream(source, length: length.map { .known($0) } ?? .unknown)
        }
    }
}

/// A client upload that several attempts may draw from, one after the other.
///
/// Only connection failures are retried, and AsyncHTTPClient pulls a body only once a connection
/// is up, so in practice an attempt that failed took nothing and the next one starts at byte 0.
/// `touched` records whether any chunk was taken; an attempt that sent bytes is never retried.
///
/// `@unchecked Sendable`: attempts run one at a time, so at most one task calls `next()` at once.
final class BodySource: AsyncSequence, @unchecked Sendable {
    typealias Element = ByteBuffer
    private var pull: (() async throws -> ByteBuffer?)?
    private let makePull: () -> () async throws -> ByteBuffer?
    private(set) var touched = false

    init<S: AsyncSequence>(_ sequence: S) where S.Element == ByteBuffer {
        self.makePull = {
            var iterator = sequence.makeAsyncIterator()
            return { try await iterator.next() }
        }
    }

    fileprivate func next() async throws -> ByteBuffer? {
        if pull == nil { pull = makePull() }
        touched = true
        return try await pull!()
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let source: BodySource
        mutating func next() async throws -> ByteBuffer? { try await source.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(source: self) }
}
