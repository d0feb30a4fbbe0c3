import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 child channel, with each connection's handling (reading requests, the
/// responder, writing responses) run as a task preferring the connection's own event loop
/// (`EventLoopExecutor`), so that a pass-through request never changes threads; with a
/// fast path, its handler goes just before that task (`FastPathHandler`).
struct EventLoopBoundChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let inner: HTTP1Channel
    /// The current fast path (a reload replaces it); nil when the gateway runs without one.
    var fastPaths: Swappable<FastPath?>?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        try? channel.syncOptions?.setOption(.recvAllocator, value: Self.reads)
        return inner.setup(channel: channel, logger: logger).flatMapThrowing { [fastPaths] value in
            guard let fastPaths else { return value }
            // After Hummingbird's connection state handler, so that it counts the fast path's
            // requests and answers too (keep-alive, idle timeout, closing on graceful shutdown).
            let operations = channel.pipeline.syncOperations
            let connectionState = try operations.handler(type: HTTPConnectionStateHandler.self)
            try operations.addHandler(FastPathHandler(fastPaths: fastPaths), position: .after(connectionState))
            return value
        }
    }

    /// NIO's adaptive read sizes, up to 256 KiB instead of 64 KiB.
    static let reads = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: 256 * 1024)

    func handle(value: Value, logger: Logger) async {
        guard let executor = EventLoopExecutors.singleton.executor(for: value.channel.eventLoop) else {
            return await inner.handle(value: value, logger: logger)
        }
        await withTaskExecutorPreference(executor) {
            await inner.handle(value: value, logger: logger)
        }
    }
}
