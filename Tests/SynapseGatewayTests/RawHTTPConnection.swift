import Foundation
import NIOCore
import NIOPosix

/// A client that writes HTTP by hand over a real socket, for tests of limits: heads sent a byte at
/// a time, bodies that never end, and answers read exactly as the gateway wrote them.
struct RawHTTPConnection {
    /// One response as read off the socket.
    struct Response: Sendable {
        var status: Int
        /// Lowercased names.
        var headers: [String: String]
        var body: String
        /// The head as it came: the status line, then each field line.
        var headLines: [String] = []
        var errorCode: String? {
            let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            return (object?["error"] as? [String: Any])?["code"] as? String
        }
    }

    private var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var pending: [UInt8] = []
    /// Whether the peer closed the connection (seen while reading).
    private(set) var isClosed = false

    /// Connects to 127.0.0.1:`port` and runs `body` with the connection; closes it afterwards.
    static func with<T: Sendable>(port: Int, _ body: (inout RawHTTPConnection) async throws -> T) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var connection = RawHTTPConnection(iterator: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(&connection)
        }
    }

    /// Starts sending `piece` every 300 ms, 30 times, while the test reads (a slow client); the
    /// caller cancels the task when it is done.
    func trickle(_ piece: String) -> Task<Void, any Error> {
        let writer = outbound
        return Task {
            for _ in 0..<30 {
                try await Task.sleep(for: .milliseconds(300))
                try await writer.write(ByteBuffer(string: piece))
            }
        }
    }

    /// Sends `text` as is. Fails once the peer has closed the connection.
    func send(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    /// The next response (head and a `Content-Length` body), or nil when the connection closed first.
    mutating func response() async throws -> Response? {
        while true {
            if let response = parsed() { return response }
            guard try await fill() else { return nil }
        }
    }

    /// Reads until the peer closes the connection (dropping what arrives); true once closed.
    mutating func closed() async throws -> Bool {
        pending.removeAll()
        while try await fill() { pending.removeAll() }
        return isClosed
    }

    private mutating func fill() async throws -> Bool {
        do {
            guard let chunk = try await iterator.next() else {
                isClosed = true
                return false
            }
            pending += chunk.readableBytesView
            return true
        } catch {
            // A reset is a close as far as these tests are concerned.
            isClosed = true
            return false
        }
    }

    /// A complete chunked body (without trailers) and the bytes it took; nil until all of it came.
    private static func dechunked(_ bytes: ArraySlice<UInt8>) -> (String, Int)? {
        var body: [UInt8] = []
        var index = bytes.startIndex
        while true {
            guard let lineEnd = bytes[index...].indices.dropLast().first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }),
                let size = Int(String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";")[0], radix: 16)
            else { return nil }
            let dataStart = lineEnd + 2
            guard bytes.endIndex >= dataStart + size + 2 else { return nil }
            body += bytes[dataStart..<dataStart + size]
            index = dataStart + size + 2
            if size == 0 { return (String(decoding: body, as: UTF8.self), index - bytes.startIndex) }
        }
    }

    private mutating func parsed() -> Response? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = pending.indices.dropLast(3).first(where: { Array(pending[$0..<$0 + 4]) == separator }) else { return nil }
        let head = String(decoding: pending[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let bodyStart = end + 4
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            guard let (body, consumed) = Self.dechunked(pending[bodyStart...]) else { return nil }
            pending.removeFirst(bodyStart + consumed)
            return Response(status: status, headers: headers, body: body, headLines: head)
        }
        let length = headers["content-length"].flatMap(Int.init) ?? 0
        guard pending.count >= bodyStart + length else { return nil }
        let body = String(decoding: pending[bodyStart..<bodyStart + length], as: UTF8.self)
        pending.removeFirst(bodyStart + length)
        return Response(status: status, headers: headers, body: body, headLines: head)
    }
}
