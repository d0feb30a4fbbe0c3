import NIOCore
import NIOPosix

/// A `TaskExecutor` that runs jobs on one NIO event loop.
///
/// A client connection is handled by a task preferring the event loop the connection lives on
/// (`EventLoopBoundChannel`), and a pass-through request takes its backend connection from the
/// same loop (`UpstreamClient.pool(for:on:)`): writes to either socket are then calls on the
/// current thread, and a read's result resumes the request on that thread. On the cooperative
/// pool every such step is a hand-off between threads (an eventfd wake-up one way, a futex
/// wake-up the other): four of each per request, which the pass-through benchmark showed as a
/// fifth of the latency the gateway adds. Handlers that may block (file I/O) leave the loop for
/// the pool (`RouteTable`).
final class EventLoopExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// One `EventLoopExecutor` per loop of a group, made at start-up.
struct EventLoopExecutors: Sendable {
    /// The executors of NIO's shared group, which the gateway's server and clients use.
    static let singleton = EventLoopExecutors(group: MultiThreadedEventLoopGroup.singleton)

    private let executors: [ObjectIdentifier: EventLoopExecutor]

    init(group: any EventLoopGroup) {
        var executors: [ObjectIdentifier: EventLoopExecutor] = [:]
        for loop in group.makeIterator() { executors[ObjectIdentifier(loop)] = EventLoopExecutor(loop) }
        self.executors = executors
    }

    /// The executor of `eventLoop`; nil for a loop of another group.
    func executor(for eventLoop: any EventLoop) -> EventLoopExecutor? {
        executors[ObjectIdentifier(eventLoop)]
    }
}
