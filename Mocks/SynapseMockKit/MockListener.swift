import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The listening socket of one mock, on raw SwiftNIO so that it can really stop accepting
/// (close the socket: clients get ECONNREFUSED) and later re-bind the same port.
///
/// ```
///  run() ──bind──▶ accepting ──refuse()──▶ refusing (socket closed, connections dropped,
///                     ▲                          │      the port held by a `PortReservation`)
///                     └──────── resume() ────────┘   (re-bind the same port, SO_REUSEADDR)
///  stop(): closes the socket and every connection; run() returns once handlers finish.
/// ```
///
/// Each accepted connection runs Hummingbird's `HTTP1Channel` (the same pipeline a Hummingbird
/// `Application` uses), so mock routes see ordinary Hummingbird requests.
final class MockListener: Sendable {
    private struct State {
        var port: Int
        var serverChannel: (any Channel)?
        var refusing = false
        var stopped = false
        var children: [ObjectIdentifier: any Channel] = [:]
        /// Accepted connections waiting for `run()` to serve them.
        var incoming: [any Channel] = []
        var waiters: [CheckedContinuation<Int, any Error>] = []
        var wake: AsyncStream<Void>.Continuation?
        var failure: (any Error)?
        /// Holds the port while refusing, so it is still free when the mock re-binds.
        var reservation: PortReservation?
    }

    let host: String
    private let state: Mutex<State>
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger

    init(host: String, port: Int, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.host = host
        self.state = Mutex(State(port: port))
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// The bound port while accepting; nil before the first bind, while refusing and after stop.
    var port: Int? {
        state.withLock { $0.serverChannel == nil ? nil : $0.port }
    }

    // MARK: - Running

    /// Binds and serves until `stop()`; connection handlers run as child tasks of this call.
    ///
    /// Accepted connections are queued by the bootstrap's initializer (with reads off) and set up
    /// here, in a task. Setting them up in the initializer would create each `NIOAsyncChannel` on
    /// the event loop, and one accepted just as `refuse()` closes the socket would be dropped
    /// unfinished, which traps.
    func run(_ http: HTTP1Channel) async throws {
        let (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        state.withLock { $0.wake = wake }
        var wakeIterator = wakeups.makeAsyncIterator()
        defer { fail(MockError.notRunning(host)) }
        await withTaskGroup(of: Void.self) { group in
            while true {
                let (stopped, refusing, bound, port, incoming) = state.withLock { state in
                    defer { state.incoming = [] }
                    return (state.stopped, state.refusing, state.serverChannel != nil, state.port, state.incoming)
                }
                if stopped { break }
                for channel in incoming {
                    group.addTask { await self.serve(channel, http: http) }
                }
                if !refusing, !bound {
                    do {
                        try await bind(port: port)
                    } catch {
                        fail(error)
                        logger.error("mock could not bind", metadata: ["error": "\(error)"])
                        break
                    }
                    continue
                }
                await wakeIterator.next()
            }
            // Handlers blocked in a mock's own sleeps end through cancellation.
            group.cancelAll()
        }
        if let failure = state.withLock({ $0.failure }), !(failure is MockError) { throw failure }
    }

    /// Binds the socket and publishes it, unless `refuse()` or `stop()` came first.
    private func bind(port: Int) async throws {
        let channel = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            // SO_REUSEADDR lets a cleared `refuse` re-bind the port while old connections sit in TIME_WAIT;
            // SO_REUSEPORT lets a `PortReservation` bind the port beside the listener before it closes.
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(ChannelOptions.socketOption(.init(rawValue: SO_REUSEPORT)), value: 1)
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            // Nothing is read until the HTTP pipeline is in place (see `serve`).
            .childChannelOption(ChannelOptions.autoRead, value: false)
            .childChannelInitializer { channel in
                let accepted = self.state.withLock { state -> Bool in
                    guard !state.stopped, !state.refusing else { return false }
                    state.incoming.append(channel)
                    state.children[ObjectIdentifier(channel)] = channel
                    state.wake?.yield()
                    return true
                }
                // A failed initializer makes NIO close the connection at once.
                return accepted ? channel.eventLoop.makeSucceededVoidFuture() : channel.eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
            }
            .bind(host: host, port: port)
            .get()
        let boundPort = channel.localAddress?.port ?? port
        let waiters = state.withLock { state -> [CheckedContinuation<Int, any Error>]? in
            guard !state.stopped, !state.refusing else { return nil }
            state.port = boundPort
            state.serverChannel = channel
            state.reservation = nil
            defer { state.waiters = [] }
            return state.waiters
        }
        guard let waiters else {
            try? await channel.close()
            return
        }
        logger.debug("mock listening", metadata: ["synapse.mock.port": "\(boundPort)"])
        for waiter in waiters { waiter.resume(returning: boundPort) }
    }

    /// Runs Hummingbird's HTTP/1.1 pipeline on one accepted connection until it closes.
    private func serve(_ channel: any Channel, http: HTTP1Channel) async {
        defer { _ = state.withLock { $0.children.removeValue(forKey: ObjectIdentifier(channel)) } }
        let connection: HTTP1Channel.Value
        do {
            connection = try await channel.eventLoop.flatSubmit { http.setup(channel: channel, logger: self.logger) }.get()
        } catch {
            try? await channel.close()
            return
        }
        // From here on the NIOAsyncChannel must be finished by `handle` (which runs
        // executeThenClose), even if the connection is already gone: dropping it traps.
        try? await channel.setOption(ChannelOptions.autoRead, value: true).get()
        await http.handle(value: connection, logger: logger)
    }

    // MARK: - Control

    /// Waits until the socket is accepting and returns its port.
    func waitUntilListening() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            state.withLock { state in
                if let failure = state.failure {
                    continuation.resume(throwing: failure)
                } else if state.serverChannel != nil, !state.refusing {
                    continuation.resume(returning: state.port)
                } else {
                    state.waiters.append(continuation)
                }
            }
        }
    }

    /// Closes the listening socket and drops every open connection; new connections are refused.
    func refuse() async {
        let channels = state.withLock { state -> [any Channel] in
            // Held before the listening socket closes, so the port is never free for a moment.
            if !state.stopped, state.reservation == nil { state.reservation = PortReservation(host: host, port: state.port) }
            state.refusing = true
            state.wake?.yield()
            let channels = Array(state.children.values) + (state.serverChannel.map { [$0] } ?? [])
            state.serverChannel = nil
            return channels
        }
        for channel in channels { try? await channel.close() }
    }

    /// Re-binds the same port after `refuse()` and waits until it accepts again.
    func resume() async throws {
        let wasRefusing = state.withLock { state -> Bool in
            defer { state.refusing = false }
            state.wake?.yield()
            return state.refusing
        }
        if wasRefusing { _ = try await waitUntilListening() }
    }

    /// Stops accepting and closes every connection; `run()` then returns.
    func stop() {
        let channels = state.withLock { state -> [any Channel] in
            state.stopped = true
            state.reservation = nil
            state.wake?.yield()
            let channels = Array(state.children.values) + (state.serverChannel.map { [$0] } ?? [])
            state.serverChannel = nil
            return channels
        }
        for channel in channels { channel.close(promise: nil) }
    }

    /// Fails everyone waiting for the socket (bind failed, or the listener ended).
    private func fail(_ error: any Error) {
        let waiters = state.withLock { state in
            state.failure = state.failure ?? error
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(throwing: error) }
    }
}
