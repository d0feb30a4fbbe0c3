import Foundation
import Logging
import SynapseCore
import SynapseGateway
import SynapseMocks

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The HTTP layer as a whole: a gateway and every mock in this process on loopback, and each
/// input written as raw bytes to a new connection (random methods, paths, headers, chunk
/// framings, bodies, `X-Mock-Fault` values forwarded to the mocks). The answer is read until
/// the server closes or `readTimeout` passes; only a trap anywhere in the process is a failure.
struct HTTPTarget: FuzzTarget {
    let name = "http"
    let maximumInputSize = 16 * 1024
    /// How long to wait for an answer before closing (hanging faults end here). Default 300 ms.
    let readTimeout: Duration = .milliseconds(300)

    var builtInSeeds: [[UInt8]] {
        [
            "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 37\r\n\r\n{\"input\":\"hello\",\"model\":\"embedder\"}\n",
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"messages\":[],\r\n5\r\n\"a\":1\r\n1\r\n}\r\n0\r\n\r\n",
            "POST /audio/convert HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 120\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"bitrate\"\r\n\r\n1e300k\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nRIFF\r\n--b--\r\n",
            "GET /health HTTP/1.1\r\nHost: x\r\nX-Mock-Fault: status=503;retry_after=1\r\n\r\n",
            "POST /tts/synthesize HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 30\r\n\r\n{\"text\":\"hi\",\"voice\":\"v\"}",
            "POST /voices HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nvoice\r\n--b--\r\n\r\n0\r\n\r\n",
            "GET /v1/models HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\nGET /models HTTP/1.1\r\nHost: x\r\n\r\n",
        ].map { Array($0.utf8) }
    }

    var dictionary: [[UInt8]] {
        [
            "GET ", "POST ", "PUT ", "DELETE ", "OPTIONS ", "HEAD ", "PATCH ", " HTTP/1.1\r\n", " HTTP/1.0\r\n", "Host: x\r\n", "\r\n\r\n",
            "Transfer-Encoding: chunked\r\n", "Content-Length: ", "Content-Length: -1\r\n", "Content-Length: 99999999999999999999\r\n",
            "ffffffffffffffff\r\n", "0\r\n\r\n", "zz\r\n", "1;ext=1\r\n", "Expect: 100-continue\r\n", "Connection: close\r\n",
            "X-Mock-Fault: ", "=", "status=", "truncate=", "latency=", "Content-Type: application/json\r\n",
            "Content-Type: multipart/form-data; boundary=b\r\n", "--b\r\n", "--b--\r\n", "Content-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n",
            "/v1/chat/completions", "/v1/embeddings", "/tts/synthesize", "/tts/speech", "/stt/transcribe", "/speakers/diarize", "/audio/convert",
            "/audio/denoise", "/voices", "/voices/x", "/models/load", "/models/unload", "/admin/breakers", "/metrics", "/readyz", "/%00", "/..", "?a=%ZZ",
            "X-Request-ID: ", "X-Forwarded-Proto: https\r\n", "Authorization: Bearer x\r\n", "Origin: http://evil\r\n", "Range: bytes=9999999999999999999-\r\n",
        ].map { Array($0.utf8) }
    }

    func withSession(_ body: @Sendable (any FuzzSession) async throws -> Void) async throws {
        var logger = Logger(label: "synapse.fuzz")
        logger.logLevel = .critical
        let voices = FileManager.default.temporaryDirectory.appendingPathComponent("synapse-fuzz-\(getpid())").path
        try FileManager.default.createDirectory(atPath: voices, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: voices) }
        let cluster = try MockCluster(configuration: .init(), logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await cluster.run() }
            defer { group.cancelAll() }
            let outcome = ConfigLoader().load(yaml: try await cluster.backendsYAML())
            guard var config = outcome.config else { throw FuzzError.setup("\(outcome.errors)") }
            config.gateway.host = "127.0.0.1"
            config.gateway.port = 0
            config.gateway.logLevel = "critical"
            config.placeVoiceLibrary(at: voices)
            let (ports, continuation) = AsyncStream<Int>.makeStream()
            let gateway = GatewayService(config: config, logger: logger) { continuation.yield($0) }
            group.addTask {
                defer { continuation.finish() }
                try await gateway.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw FuzzError.setup("the gateway did not start") }
            try await body(Session(port: port, readTimeout: readTimeout))
        }
    }

    struct Session: FuzzSession {
        let port: Int
        let readTimeout: Duration

        func execute(_ input: [UInt8]) async {
            // Blocking socket calls run on their own thread, never on the pool the servers use.
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let thread = Thread {
                    RawExchange.exchange(input, port: port, readTimeout: readTimeout)
                    done.resume()
                }
                thread.start()
            }
        }
    }
}

/// One raw request on a fresh loopback connection: write everything, half-close, read until
/// the peer closes or the timeout passes.
enum RawExchange {
    static func exchange(_ bytes: [UInt8], port: Int, readTimeout: Duration) {
        #if canImport(Glibc)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return }
        defer { close(fd) }
        var timeout = timeval(tv_sec: Int(readTimeout.components.seconds), tv_usec: Int(readTimeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { break }
            written += count
        }
        shutdown(fd, Int32(SHUT_WR))
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var total = 0
        // Read the answer (bounded), so streamed responses and faults run their course.
        while total < 4 * 1024 * 1024 {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            total += count
        }
    }
}
