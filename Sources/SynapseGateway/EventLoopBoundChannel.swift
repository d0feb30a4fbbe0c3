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
    /// What `WireFastPathHandler` needs of the server's settings (with a fast path, the server's
    /// own connection handler is built without an idle timeout: this handler keeps it).
    var wireLimits: WireFastPathHandler.Limits?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        try? channel.syncOptions?.setOption(.recvAllocator, value: Self.reads)
        return inner.setup(channel: channel, logger: logger).flatMapThrowing { [fastPaths, wireLimits] value in
            guard let fastPaths else { return value }
            // After Hummingbird's connection state handler, so that it counts the fast path's
            // requests and answers too (keep-alive, idle timeout, closing on graceful shutdown).
            let operations = channel.pipeline.syncOperations
            let connectionState = try operations.handler(type: HTTPConnectionStateHandler.self)
            try operations.addHandler(FastPathHandler(fastPaths: fastPaths), position: .after(connectionState))
            guard let wireLimits else { return value }
            // Ahead of the codec, and a watcher of answers just after it (before `ConnectionGuard`,
            // the first of the handlers Hummingbird adds after its codec).
            let wire = WireFastPathHandler(fastPaths: fastPaths, limits: wireLimits, logger: logger)
            try operations.addHandler(wire, position: .first)
            let watcher = LentAnswerWatcher(wire: wire, wireContext: try operations.context(handler: wire))
            try operations.addHandler(watcher, position: .before(try operations.handler(type: ConnectionGuard.self)))
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
