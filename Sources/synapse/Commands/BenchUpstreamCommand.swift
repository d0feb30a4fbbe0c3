import ArgumentParser
import Hummingbird
import Logging
import NIOCore
import SynapseGateway

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `synapse bench-upstream`: a minimal upstream for `scripts/bench.sh` and `scripts/bench-smoke.sh`.
/// Every answer is fixed bytes or computed on the spot (nothing memoized): a small JSON answer, an
/// upload sink, a download source of any size, and an SSE stream whose events carry their send
/// time, so the gateway (or nginx in front of it) is the only thing measured.
struct BenchUpstreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-upstream", abstract: "Upload sink and download source for scripts/bench.sh.", shouldDisplay: false)

    @Option var port = 0
    @Option var host = "127.0.0.1"

    func run() async throws {
        let router = Router()
        // Small JSON answer: the smallest upstream, to show the gateway's own ceiling.
        router.post("/v1/embeddings") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 20)
            return Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"object":"list","data":[]}"#)))
        }
        // Upload sink: counts the bytes, answers their number.
        router.post("/denoise") { request, _ -> String in
            var total = 0
            for try await chunk in request.body { total += chunk.readableBytes }
            return "{\"received\":\(total)}"
        }
        // Download source: `?bytes=N` zero bytes in 64 KiB chunks.
        router.post("/convert") { request, _ -> Response in
            let total = request.uri.queryParameters.get("bytes", as: Int.self) ?? 0
            _ = try await request.body.collect(upTo: 1 << 20)
            return Response(
                status: .ok, headers: [.contentType: "application/octet-stream", .contentLength: String(total)],
                body: ResponseBody(contentLength: total) { writer in
                    let chunk = ByteBuffer(repeating: 0, count: 64 * 1024)
                    var left = total
                    while left > 0 {
                        try await writer.write(left >= chunk.readableBytes ? chunk : chunk.getSlice(at: 0, length: left)!)
                        left -= chunk.readableBytes
                    }
                    try await writer.finish(nil)
                })
        }
        // SSE source: `?events=N` (default 1000) events, one every `?interval_us=` (default 1000)
        // microseconds, each `data: {"i":INDEX,"t":NANOSECONDS}` with `t` read from CLOCK_MONOTONIC
        // just before the event is written, so a client on this machine measures each event's
        // latency as its receive time minus `t`. The request body (a form, for `/stt/stream`) is drained.
        router.post("/stream") { request, _ -> Response in
            let events = max(0, request.uri.queryParameters.get("events", as: Int.self) ?? 1000)
            let interval = max(0, request.uri.queryParameters.get("interval_us", as: Int.self) ?? 1000)
            for try await _ in request.body {}
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    var buffer = ByteBuffer()
                    for index in 0..<events {
                        if interval > 0 { try await Task.sleep(for: .microseconds(interval)) }
                        buffer.clear()
                        buffer.writeString("data: {\"i\":\(index),\"t\":\(Self.monotonicNanoseconds())}\n\n")
                        try await writer.write(buffer)
                    }
                    try await writer.finish(nil)
                })
        }
        var logger = Logger(label: "bench-upstream")
        logger.logLevel = .warning
        // The accept queue of a real backend's server (uvicorn's 2,048, not Hummingbird's 256), and
        // like uvicorn it accepts what is queued, not 4 a turn: a proxy opening hundreds of
        // connections at once (the c=1024 case) must not measure it.
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), backlog: 2048),
            onServerRunning: { await GatewayService.acceptingManyAtOnce($0) }, logger: logger)
        try await app.runService()
    }

    /// CLOCK_MONOTONIC in nanoseconds: the clock `time.monotonic_ns()` reads in Python on Linux.
    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
