import Foundation
import Hummingbird
import NIOPosix
import SynapseCore
import Synchronization
import Testing

@testable import SynapseGateway

#if canImport(Glibc)
    import Glibc
#endif

/// A client whose chunked framing is broken gets 400 `invalid_request`, on the gateway's own
/// routes and on forwarded ones alike; it is never an upstream failure or a 500.
@Suite struct MalformedFramingTests {
    static let garbageChunks: [String] = [
        "zz\r\nhello\r\n0\r\n\r\n",  // not hex
        "5\r\nhello\r\nffffffffffffffffff\r\n",  // a size that overflows
        "5\r\nhelloXX0\r\n\r\n",  // no CRLF after the chunk
    ]

    @Test(arguments: ["/v1/embeddings", "/tts/synthesize", "/voices", "/audio/convert"], [0, 1, 2])
    func aGarbageChunkSizeIsA400NotA500(path: String, garbage: Int) async throws {
        let hits = Mutex(0)
        try await Harness.withUpstream({ router in
            for route in ["/v1/embeddings", "/tts", "/convert"] {
                router.post(RouterPath(route)) { request, _ -> Response in
                    hits.withLock { $0 += 1 }
                    _ = try await request.body.collect(upTo: 1 << 20)
                    return Response(status: .ok)
                }
            }
        }) { port in
            let config = Harness.config(["llama-embed": port, "chatterbox-tts": port, "deepfilter-audio": port])
            try await Harness.withGateway(config) { gateway in
                let contentType = path == "/voices" || path == "/audio/convert" ? "multipart/form-data; boundary=b" : "application/json"
                let head = "POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Type: \(contentType)\r\nTransfer-Encoding: chunked\r\n\r\n"
                let answer = try await FramingSocket.exchange(head + Self.garbageChunks[garbage], port: Int(URL(string: gateway)!.port!))
                let statusLine = answer.split(separator: "\r\n").first.map(String.init) ?? ""
                #expect(statusLine.hasPrefix("HTTP/1.1 400"), "\(path): \(statusLine)")
                #expect(answer.contains("invalid_request") || answer.contains("detail"), "\(path): \(answer)")
            }
        }
    }
}

/// One raw exchange: write, read until the server closes (10 s at most; a healthy answer comes in
/// milliseconds).
enum FramingSocket {
    struct Failure: Error {}

    /// The blocking socket calls run on NIO's thread pool, never on a thread of the concurrency
    /// pool: on a 2-core machine that pool has two threads, and two parameterized cases blocked
    /// in `recv` at once would leave none for the gateway they wait for.
    static func exchange(_ text: String, port: Int) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { try blockingExchange(text, port: port) }
    }

    private static func blockingExchange(_ text: String, port: Int) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure() }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure() }
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else { throw Failure() }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            received += buffer[..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
