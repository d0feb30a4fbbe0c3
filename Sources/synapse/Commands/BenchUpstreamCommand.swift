import ArgumentParser
import Hummingbird
import Logging
import NIOCore

/// `synapse bench-upstream`: a minimal upstream for the benchmark's memory test. It drains uploads
/// without keeping them and streams downloads of any size, so the gateway is the only thing measured.
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
        var logger = Logger(label: "bench-upstream")
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)), logger: logger)
        try await app.runService()
    }
}
