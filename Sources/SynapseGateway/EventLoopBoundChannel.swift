import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 child channel, with each connection's handling (reading requests, the
/// responder, writing responses) run as a task preferring the connection's own event loop
/// (`EventLoopExecutor`), so that a pass-through request never changes threads.
struct EventLoopBoundChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let inner: HTTP1Channel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        guard let executor = EventLoopExecutors.singleton.executor(for: value.channel.eventLoop) else {
            return await inner.handle(value: value, logger: logger)
        }
        await withTaskExecutorPreference(executor) {
            await inner.handle(value: value, logger: logger)
        }
    }
}
