import NIOCore
import NIOHTTP1
import NIOPosix

/// The fast path's keep-alive connections to one backend from one event loop, the most recently
/// used first. Touched on that loop only, by the exchanges of its client connections.
///
/// It never makes a request wait for a connection: `take()` answers at once, and when it has none
/// it opens one in the background (a few at a time) for a later request, while this one takes the
/// general path. So every connection failure, with its retries and breaker accounting, stays the
/// general path's: a backend that refuses the warm-up is tried again only a second later.
// @unchecked Sendable: created anywhere, then used on `eventLoop` only (asserted).
final class RelayPool: @unchecked Sendable {
    let eventLoop: any EventLoop
    /// The request's `Host` header for this backend.
    let hostHeader: String
    private let host: String
    private let port: Int
    private let configuration: ConnectionPool.Configuration
    private var idle: [RelayConnection] = []
    private var open = 0
    /// Connections being opened now.
    private var warming = 0
    private var quietUntil = NIODeadline.uptimeNanoseconds(0)
    private var closed = false
    private var sweeper: RepeatedTask?

    /// After a failed warm-up, the pool waits this long before trying again.
    static let warmUpPause = TimeAmount.seconds(1)
    /// Connections opened at once: enough that a crowd arriving together (wrk -c1024: 512
    /// exchanges a loop) is soon all on the fast path, where 4 a turn of a busy loop left 12–27%
    /// of such a run on the general path; several, so one whose SYN waits in a full accept queue
    /// does not hold up the rest.
    static let warmUpsAtOnce = 32

    init(host: String, port: Int, configuration: ConnectionPool.Configuration, eventLoop: any EventLoop) {
        self.host = host
        self.port = port
        self.hostHeader = ConnectionPool.hostHeader(host: host, port: port)
        self.configuration = configuration
        self.eventLoop = eventLoop
    }

    private var idleTimeout: TimeAmount { .nanoseconds(configuration.idleTimeout.nanoseconds) }

    /// A live idle connection, or nil (and a warm-up begins) when there is none.
    func take() -> RelayConnection? {
        eventLoop.assertInEventLoop()
        let now = NIODeadline.now()
        while let connection = idle.popLast() {
            if connection.isActive, now - connection.idleSince < idleTimeout { return connection }
            connection.close()
        }
        warmUp(now: now)
        return nil
    }

    /// Takes back a connection whose exchange ended cleanly with a keep-alive answer.
    func release(_ connection: RelayConnection) {
        eventLoop.assertInEventLoop()
        connection.exchange = nil
        guard !closed, connection.isActive, idle.count < configuration.maxIdle else {
            connection.close()
            return
        }
        connection.idleSince = .now()
        idle.append(connection)
    }

    /// Puts back a connection that was taken but not used, idle since when it was.
    func giveBack(_ connection: RelayConnection) {
        eventLoop.assertInEventLoop()
        idle.append(connection)
    }

    private func warmUp(now: NIODeadline) {
        guard warming < Self.warmUpsAtOnce, !closed, now >= quietUntil, open + warming < configuration.maxIdle else { return }
        warming += 1
        RelayConnection.connect(host: host, port: port, connectTimeout: configuration.connectTimeout, on: eventLoop).whenComplete { [self] result in
            warming -= 1
            switch result {
            case .success(let connection):
                open += 1
                connection.channel.closeFuture.whenComplete { [self] _ in open -= 1 }
                if sweeper == nil, !closed { startSweeping() }
                release(connection)
            case .failure:
                quietUntil = .now() + Self.warmUpPause
            }
        }
    }

    /// Idle connections are given up after the idle timeout even when nobody takes them.
    private func startSweeping() {
        let interval = TimeAmount.seconds(15)
        sweeper = eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [self] _ in
            let now = NIODeadline.now()
            idle.removeAll { connection in
                let stale = !connection.isActive || now - connection.idleSince >= idleTimeout
                if stale { connection.close() }
                return stale
            }
        }
    }

    /// Closes every idle connection; later releases close theirs.
    func shutdown() {
        eventLoop.execute { [self] in
            closed = true
            sweeper?.cancel()
            for connection in idle { connection.close() }
            idle = []
        }
    }
}

/// One keep-alive HTTP/1.1 connection to a backend for the fast path: the answer's parts are
/// handed to the exchange under way as they are decoded, on the connection's event loop.
// @unchecked Sendable: used on its channel's event loop only, like the exchanges it carries.
final class RelayConnection: @unchecked Sendable {
    let channel: any Channel
    /// The exchange whose answer is being read; nil while idle, when any byte closes the connection.
    var exchange: FastExchange?
    var idleSince = NIODeadline.now()
    private var alarm: Scheduled<Void>?
    private var alarmAt = NIODeadline.distantFuture

    init(channel: any Channel) { self.channel = channel }

    var isActive: Bool { channel.isActive }

    /// Tells the exchange under way (`FastExchange.alarmRang`) at `due`, or earlier.
    ///
    /// One alarm per connection, not a timer per request: an alarm already set no later than
    /// `due` is kept, and when it rings early the exchange asks again. Deadlines only move
    /// forward from one request to the next, so a busy connection schedules one timer per total
    /// timeout instead of scheduling and cancelling one per request (at 512 exchanges a loop, the
    /// cancelling, a search through the loop's timers, cost the fast path 4% of its time).
    func wake(at due: NIODeadline) {
        if alarm != nil, alarmAt <= due { return }
        alarm?.cancel()
        alarmAt = due
        alarm = channel.eventLoop.scheduleTask(deadline: due) { [self] in
            alarm = nil
            alarmAt = .distantFuture
            exchange?.alarmRang()
        }
    }

    /// Closes the connection, telling no exchange.
    func close() {
        exchange = nil
        stopAlarm()
        channel.close(promise: nil)
    }

    /// The connection is closed: its alarm, which holds it, goes.
    func stopAlarm() {
        alarm?.cancel()
        alarm = nil
        alarmAt = .distantFuture
    }

    static func connect(host: String, port: Int, connectTimeout: Duration, on eventLoop: any EventLoop) -> EventLoopFuture<RelayConnection> {
        UpstreamConnection.bootstrap(connectTimeout: connectTimeout, on: eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // No HTTP codec: requests leave as the bytes `FastPath` wrote, answers are read by `RelayResponseParser`.
                    try channel.pipeline.syncOperations.addHandler(RelayReader(connection: RelayConnection(channel: channel)))
                }
            }
            .connect(host: host, port: port)
            .flatMapThrowing { channel in try channel.pipeline.syncOperations.handler(type: RelayReader.self).connection }
    }
}

/// Reads a connection's answers and hands their parts to its exchange; closes the connection on
/// anything arriving while no exchange is under way, or after an answer's end (a stray answer
/// must never be the next request's).
private final class RelayReader: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let connection: RelayConnection
    private var parser = RelayResponseParser()

    init(connection: RelayConnection) { self.connection = connection }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        guard connection.exchange != nil else {
            context.close(promise: nil)
            return
        }
        do {
            try parser.parse(&buffer) { part in connection.exchange?.upstreamRead(part) }
        } catch {
            connection.exchange?.upstreamFailed(error)
            context.close(promise: nil)
            return
        }
        if buffer.readableBytes > 0 { context.close(promise: nil) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        connection.exchange?.upstreamReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        connection.exchange?.upstreamFailed(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        // An answer framed by the connection's end is complete now; one framed otherwise is not.
        do {
            if try parser.finish() { connection.exchange?.upstreamRead(.end) }
        } catch {
            connection.exchange?.upstreamFailed(error)
        }
        connection.exchange?.upstreamFailed(ChannelError.eof)
        connection.stopAlarm()
        context.fireChannelInactive()
    }
}
