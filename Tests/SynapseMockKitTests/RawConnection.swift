import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A bare TCP client: sends bytes and reports exactly how the server ended the exchange, which
/// an HTTP client library would hide (reset vs. close, where a body was cut).
enum RawConnection {
    /// How the exchange ended, with every byte received.
    enum Ending: Equatable {
        /// The server closed the connection normally (FIN).
        case closed([UInt8])
        /// The server reset the connection (RST).
        case reset([UInt8])
        /// Nothing more arrived before the client's deadline.
        case timedOut([UInt8])

        var bytes: [UInt8] {
            switch self {
            case .closed(let bytes), .reset(let bytes), .timedOut(let bytes): bytes
            }
        }

        var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    /// Connects to 127.0.0.1:`port`, sends `request`, and reads until the server closes or resets
    /// the connection, or `timeout` passes.
    static func exchange(port: Int, request: String, timeout: Duration = .seconds(10)) async throws -> Ending {
        let channel = try await connect(port: port)
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            return try await withThrowingTaskGroup(of: Ending?.self) { group in
                group.addTask {
                    var received: [UInt8] = []
                    do {
                        for try await chunk in inbound { received += chunk.readableBytesView }
                        return .closed(received)
                    } catch let error as IOError where error.errnoCode == ECONNRESET {
                        return .reset(received)
                    }
                }
                group.addTask {
                    // The client's own deadline: the only wait in these tests, for "never answers".
                    try await Task.sleep(for: timeout)
                    return nil
                }
                let first = try await group.next()!
                group.cancelAll()
                return first ?? .timedOut([])
            }
        }
    }

    /// Opens a TCP connection (throws the connect error, e.g. ECONNREFUSED).
    static func connect(port: Int) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: port)) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// The errno of a failed connect, or nil if it connected.
    static func connectErrno(port: Int) async -> CInt? {
        do {
            let channel = try await connect(port: port)
            try? await channel.channel.close()
            return nil
        } catch let error as IOError {
            return error.errnoCode
        } catch let error as NIOConnectionError {
            return error.connectionErrors.compactMap { ($0.error as? IOError)?.errnoCode }.first ?? -1
        } catch {
            return -1
        }
    }

    /// A GET with `Connection: close`, so a healthy response ends with a FIN.
    static func get(_ path: String, headers: [String] = []) -> String {
        (["GET \(path) HTTP/1.1", "Host: localhost", "Connection: close"] + headers).joined(separator: "\r\n") + "\r\n\r\n"
    }
}
