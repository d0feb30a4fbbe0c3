import NIOCore
import NIOHTTP1
import NIOPosix
import SynapseCore
import SynapseLoadReport

/// One event loop's part of a run: its share of the schedule (or of the clients), its
/// connections, its queue of requests waiting for a connection, and its own statistics. Nothing
/// here is shared with another loop, so the hot path takes no lock and starts no task.
///
/// ```
/// schedule / clients ─▶ queue ─▶ idle connection ─▶ exchange ─▶ sample ─▶ statistics
///                         │          (or a new one, up to the loop's connection limit)
///                         └─ left at the end of the run: a timeout
/// ```
// @unchecked Sendable: every member is read and written on `eventLoop` only; the engine reaches
// it through `eventLoop.execute`/`submit`, and connections call it from their channels, which
// live on the same loop.
final class LoopDriver: @unchecked Sendable {
    /// What a loop needs to know about the run.
    struct Settings: Sendable {
        var requests: [ReplayRequest]
        var pacing: Pacing
        var cycle: RequestCycle
        var share: LoopShare
        /// No request is scheduled from here on (`--duration`, or the ramp's end).
        var stop: Duration?
        var grace: Duration
        var timeout: Duration
        /// This loop's part of `--max-connections` (timed runs).
        var maxConnections: Int
        var seed: UInt64
        var address: SocketAddress
        var origin: NIODeadline
        var onSample: (@Sendable (RequestSample) -> Void)?
    }

    let eventLoop: any EventLoop
    let settings: Settings
    let fileReader: FileBodyReader
    private(set) var statistics = LoadStatistics()
    private var schedule: ArrivalSchedule?
    private var nextArrival: ArrivalSchedule.Arrival?
    /// Closed model: this loop's next local request number.
    private var clientRequests = 0
    private var queue = CircularBuffer<Exchange.Pending>()
    private var idle: [LoadConnection] = []
    private var connections: [LoadConnection] = []
    private var connecting = 0
    private(set) var inFlight = 0
    private var scheduleDone = false
    private var finished = false
    private var tick: Scheduled<Void>?
    private var sweep: RepeatedTask?
    private let done: EventLoopPromise<LoadStatistics>

    init(eventLoop: any EventLoop, settings: Settings, fileReader: FileBodyReader) {
        self.eventLoop = eventLoop
        self.settings = settings
        self.fileReader = fileReader
        self.done = eventLoop.makePromise()
        if case .concurrency = settings.pacing {
            schedule = nil
        } else {
            var schedule = ArrivalSchedule(
                pacing: settings.pacing, offsets: settings.requests.map(\.offset), share: settings.share, cycle: settings.cycle, stop: settings.stop,
                seed: settings.seed)
            nextArrival = schedule.next()
            self.schedule = schedule
        }
    }

    /// Starts at the run's origin; the future gives the loop's statistics once it is done.
    func start() -> EventLoopFuture<LoadStatistics> {
        eventLoop.execute {
            // Timeouts, the closed model's ramp and the end of the grace period are checked on
            // a coarse beat: one timer per loop, not one per request.
            self.sweep = self.eventLoop.scheduleRepeatedTask(initialDelay: .milliseconds(20), delay: .milliseconds(20)) { _ in self.checkTime() }
            self.tick = self.eventLoop.scheduleTask(deadline: self.settings.origin) { self.advance() }
        }
        return done.futureResult
    }

    /// The figures so far and the requests in flight, for the progress line.
    func snapshot() -> EventLoopFuture<(LoadStatistics, Int)> {
        eventLoop.submit { (self.statistics, self.inFlight + self.queue.count) }
    }

    // MARK: Making requests

    /// Moves every due request into the queue and hands the queue to connections.
    private func advance() {
        let now = NIODeadline.now()
        if schedule != nil {
            while let arrival = nextArrival, settings.origin.adding(arrival.at) <= now {
                enqueue(ordinal: arrival.ordinal, intended: settings.origin.adding(arrival.at), scheduledAt: arrival.at)
                nextArrival = schedule?.next()
            }
            if let arrival = nextArrival {
                tick = eventLoop.scheduleTask(deadline: settings.origin.adding(arrival.at)) { self.advance() }
            } else {
                scheduleDone = true
            }
        } else {
            refillClients(now: now)
        }
        dispatch()
    }

    private func enqueue(ordinal: Int, intended: NIODeadline, scheduledAt: Duration) {
        guard let request = settings.cycle.request(for: ordinal) else { return }
        queue.append(Exchange.Pending(intended: intended, scheduledAt: scheduledAt, request: request))
    }

    /// Closed model: as many requests outstanding as this loop's part of the concurrency; each
    /// new one is intended now (its client has just become free).
    private func refillClients(now: NIODeadline) {
        guard case .concurrency(let ramp) = settings.pacing, !scheduleDone, !finished else { return }
        let elapsed = settings.origin.duration(to: now)
        if let stop = settings.stop, elapsed >= stop {
            scheduleDone = true
            return
        }
        let target = settings.share.part(of: Int(ramp.value(at: max(elapsed, .zero)).rounded()))
        while true {
            let ordinal = settings.share.ordinal(clientRequests)
            guard settings.cycle.request(for: ordinal) != nil else {
                scheduleDone = true
                return
            }
            guard queue.count + inFlight < target else { return }
            clientRequests += 1
            enqueue(ordinal: ordinal, intended: now, scheduledAt: elapsed)
        }
    }

    /// Queue → idle connections; then new connections for what is left, up to the limit.
    private func dispatch() {
        guard !finished else { return }
        while !queue.isEmpty, let connection = idle.popLast() {
            send(queue.removeFirst(), on: connection)
        }
        let limit: Int
        if case .concurrency = settings.pacing { limit = Int.max } else { limit = max(1, settings.maxConnections) }
        while queue.count > connecting, connections.count + connecting < limit {
            connect()
        }
        if scheduleDone, queue.isEmpty, inFlight == 0 { finish(now: .now()) }
    }

    private func send(_ pending: Exchange.Pending, on connection: LoadConnection) {
        inFlight += 1
        connection.send(settings.requests[pending.request], pending: pending, timeout: settings.timeout, now: .now())
    }

    private func connect() {
        connecting += 1
        let connection = LoadConnection(driver: self)
        ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount.nanoseconds(Int64(settings.timeout.seconds * 1e9)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(connection)
                }
            }
            .connect(to: settings.address)
            .whenComplete { result in
                self.connecting -= 1
                switch result {
                case .success:
                    guard !self.finished else {
                        connection.close()
                        return
                    }
                    self.connections.append(connection)
                    self.connectionIdle(connection)
                case .failure(let error):
                    // The connection was opened for the oldest waiting request: it fails with
                    // the connection's error, so a dead target ends requests, not the run's progress.
                    if !self.finished, let pending = self.queue.popFirst() {
                        let request = self.settings.requests[pending.request]
                        let exchange = Exchange(pending: pending, route: request.route, path: "", deadline: .now())
                        self.record(exchange.sample(at: .now(), failure: RequestSample.FailureKind(error: error)))
                    }
                    self.afterChange()
                }
            }
    }

    // MARK: Connections report back

    private func connectionIdle(_ connection: LoadConnection) {
        if let pending = queue.popFirst() {
            send(pending, on: connection)
        } else {
            idle.append(connection)
        }
        afterChange()
    }

    func exchangeEnded(_ connection: LoadConnection, sample: RequestSample, reusable: Bool) {
        inFlight -= 1
        record(sample)
        guard !finished else { return }
        if reusable {
            connectionIdle(connection)
        } else {
            retire(connection)
            afterChange()
        }
    }

    func connectionClosed(_ connection: LoadConnection) {
        guard !connection.retired else { return }
        retire(connection)
        afterChange()
    }

    private func retire(_ connection: LoadConnection) {
        connection.retired = true
        if let index = connections.firstIndex(where: { $0 === connection }) { connections.remove(at: index) }
        if let index = idle.firstIndex(where: { $0 === connection }) { idle.remove(at: index) }
    }

    /// After a request ended or a connection came or went: top up the clients, dispatch.
    private func afterChange() {
        guard !finished else { return }
        if schedule == nil { refillClients(now: .now()) }
        dispatch()
    }

    private func record(_ sample: RequestSample) {
        statistics.record(sample)
        settings.onSample?(sample)
    }

    // MARK: Time and the end

    /// Every 20 ms: timeouts, the closed model's ramp, and the end of the grace period.
    private func checkTime() {
        guard !finished else { return }
        let now = NIODeadline.now()
        for connection in connections {
            if let exchange = connection.exchange, exchange.deadline <= now { connection.abort(.timeout, now: now) }
        }
        if let stop = settings.stop, settings.origin.adding(stop + settings.grace) <= now {
            finish(now: now)
            return
        }
        afterChange()
    }

    /// Ends the loop's part: what is still queued or in flight is recorded as a timeout (the
    /// run ended before it was answered), every connection is closed.
    private func finish(now: NIODeadline) {
        guard !finished else { return }
        finished = true
        tick?.cancel()
        sweep?.cancel()
        while let pending = queue.popFirst() {
            let request = settings.requests[pending.request]
            record(Exchange(pending: pending, route: request.route, path: "", deadline: now).sample(at: now, failure: .timeout))
        }
        for connection in connections {
            connection.retired = true
            if connection.isBusy { connection.abort(.timeout, now: now) } else { connection.close() }
        }
        connections = []
        idle = []
        done.succeed(statistics)
    }
}
