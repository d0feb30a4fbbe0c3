import NIOCore
import NIOPosix
import SynapseLoadReport

/// A running load: started with `start(_:)`, watched with `snapshot()`, awaited with `finished()`.
///
/// Each event loop of the group carries one `LoopDriver` with its share of the requests; they
/// share nothing but the run's origin (every loop's schedule counts from the same instant) and
/// are merged only for a snapshot and at the end.
public final class LoadRun: Sendable {
    /// The figures of a finished run.
    public struct Result: Sendable {
        public var statistics: LoadStatistics
        /// From the run's start to the last loop's end.
        public var elapsed: Duration
    }

    /// Where a running load is, for the progress line.
    public struct Progress: Sendable {
        public var statistics: LoadStatistics
        public var elapsed: Duration
        /// Requests sent and not yet answered, or due and waiting for a connection.
        public var inFlight: Int
    }

    private let drivers: [LoopDriver]
    private let results: [EventLoopFuture<LoadStatistics>]
    private let origin: NIODeadline
    private let ownedGroup: MultiThreadedEventLoopGroup?

    private init(drivers: [LoopDriver], origin: NIODeadline, ownedGroup: MultiThreadedEventLoopGroup?) {
        self.drivers = drivers
        self.origin = origin
        self.ownedGroup = ownedGroup
        self.results = drivers.map { $0.start() }
    }

    /// Resolves the target once, then starts every loop; the first request goes out about 20 ms
    /// later, the same instant on every loop. `group`: the loops to send on (default: a new
    /// group of `plan.threads` loops, shut down when the run is over).
    public static func start(_ plan: LoadPlan, on group: (any EventLoopGroup)? = nil) async throws(LoadError) -> LoadRun {
        try plan.validate()
        let address: SocketAddress
        do {
            address = try SocketAddress.makeAddressResolvingHost(plan.target.host, port: plan.target.port)
        } catch {
            throw LoadError(code: "unresolved_target", message: "--target: cannot resolve \(plan.target.host): \(error)")
        }
        let owned = group == nil ? MultiThreadedEventLoopGroup(numberOfThreads: plan.threads) : nil
        let loops = Array((group ?? owned!).makeIterator())
        let count = min(plan.pacing.usefulLoops(of: plan.threads), loops.count)
        let origin = NIODeadline.now() + .milliseconds(20)
        let reader = FileBodyReader(threadPool: .singleton)
        let drivers = (0..<count).map { index in
            let share = LoopShare(index: index, count: count)
            let settings = LoopDriver.Settings(
                requests: plan.requests, pacing: plan.pacing, cycle: RequestCycle(requestCount: plan.requests.count, loops: plan.loops), share: share,
                stop: plan.stop, grace: plan.grace, timeout: plan.timeout, maxConnections: share.part(of: plan.maxConnections), seed: plan.seed,
                address: address, origin: origin, onSample: plan.onSample)
            return LoopDriver(eventLoop: loops[index], settings: settings, fileReader: reader)
        }
        return LoadRun(drivers: drivers, origin: origin, ownedGroup: owned)
    }

    /// The figures so far, merged over the loops.
    public func snapshot() async -> Progress {
        var statistics = LoadStatistics()
        var inFlight = 0
        for driver in drivers {
            if let (part, busy) = try? await driver.snapshot().get() {
                statistics.merge(part)
                inFlight += busy
            }
        }
        return Progress(statistics: statistics, elapsed: max(.zero, origin.duration(to: .now())), inFlight: inFlight)
    }

    /// Waits for every loop to finish, then shuts down the group if the run made it.
    public func finished() async -> Result {
        var statistics = LoadStatistics()
        for result in results {
            if let part = try? await result.get() { statistics.merge(part) }
        }
        let elapsed = max(.zero, origin.duration(to: .now()))
        try? await ownedGroup?.shutdownGracefully()
        return Result(statistics: statistics, elapsed: elapsed)
    }
}
