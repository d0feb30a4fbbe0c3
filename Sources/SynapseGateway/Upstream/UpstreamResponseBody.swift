import NIOCore

/// A backend response body read straight from its pooled connection, chunk by chunk as the
/// consumer asks (no buffering beyond what the connection read). At the body's end the connection
/// goes back to its pool when the exchange left it reusable; on an error, a cancellation, or when
/// the body is dropped unread, the connection is closed.
struct UpstreamResponseBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let lease: UpstreamLease

    struct AsyncIterator: AsyncIteratorProtocol {
        let lease: UpstreamLease
        mutating func next() async throws -> ByteBuffer? { try await lease.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(lease: lease) }
}

/// One exchange's hold on a connection, from the response head to the end of its body.
// @unchecked Sendable: `finished` is touched by the one task reading the body, then by deinit.
final class UpstreamLease: @unchecked Sendable {
    private let connection: UpstreamConnection
    private let pool: ConnectionPool
    /// Keep-alive answer to a request written in full: the connection can carry another exchange.
    private let reusable: Bool
    private var finished = false

    init(connection: UpstreamConnection, pool: ConnectionPool, reusable: Bool) {
        self.connection = connection
        self.pool = pool
        self.reusable = reusable
    }

    func next() async throws -> ByteBuffer? {
        guard !finished else { return nil }
        let connection = connection
        do {
            let chunk = try await withTaskCancellationHandler {
                try await connection.readBody()
            } onCancel: {
                connection.channel.close(promise: nil)
            }
            if chunk == nil {
                finished = true
                connection.end()
                if reusable { pool.release(connection) } else { connection.abandon() }
            }
            return chunk
        } catch {
            finished = true
            connection.abandon()
            if Task.isCancelled { throw CancellationError() }
            throw connection.translate(error)
        }
    }

    deinit {
        if !finished { connection.abandon() }
    }
}
