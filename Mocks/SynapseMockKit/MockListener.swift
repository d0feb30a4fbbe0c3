import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The listening socket of one mock, on raw SwiftNIO so that it can really stop accepting
/// (close the socket: clients get ECONNREFUSED) and later re-bind the same port.
///
/// ```
///  run() ──bind──▶ accepting ──refuse()──▶ refusing (socket closed, connections dropped)
///                     ▲                          │
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
        var waiters: [CheckedContinuation<Int, any Error>] = []
        var wake: AsyncStream<Void>.Continuation?
        var failure: (any Error)?
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
    func run(_ http: HTTP1Channel) async throws {
        let (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        state.withLock { $0.wake = wake }
        var wakeIterator = wakeups.makeAsyncIterator()
        defer { fail(MockError.notRunning(host)) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            while true {
                let (stopped, refusing, port) = state.withLock { ($0.stopped, $0.refusing, $0.port) }
                if stopped { break }
                if refusing {
                    await wakeIterator.next()
                    continue
                }
                let serverChannel: NIOAsyncChannel<HTTP1Channel.Value, Never>
                do {
                    serverChannel = try await bind(port: port, http: http)
                } catch {
                    fail(error)
                    throw error
                }
                let boundPort = serverChannel.channel.localAddress?.port ?? port
                let keep = state.withLock { state -> Bool in
                    guard !state.stopped, !state.refusing else { return false }
                    state.port = boundPort
                    state.serverChannel = serverChannel.channel
                    for waiter in state.waiters { waiter.resume(returning: boundPort) }
                    state.waiters = []
                    return true
                }
                guard keep else {
                    try? await serverChannel.channel.close()
                    continue
                }
                logger.debug("mock listening", metadata: ["synapse.mock.port": "\(boundPort)"])
                do {
                    try await serverChannel.executeThenClose { inbound in
                        for try await connection in inbound {
                            let channel = connection.channel
                            let id = ObjectIdentifier(channel)
                            let admitted = state.withLock { state -> Bool in
                                guard !state.refusing, !state.stopped else { return false }
                                state.children[id] = channel
                                return true
                            }
                            guard admitted else {
                                channel.close(promise: nil)
                                continue
                            }
                            group.addTask {
                                await http.handle(value: connection, logger: self.logger)
                                _ = self.state.withLock { $0.children.removeValue(forKey: id) }
                            }
                        }
                    }
                } catch {
                    // Closing the socket from refuse()/stop() may end the accept loop with an error.
                    logger.debug("mock accept loop ended", metadata: ["error": "\(error)"])
                }
                state.withLock { state in
                    if state.serverChannel === serverChannel.channel { state.serverChannel = nil }
                }
            }
            // Handlers blocked in a mock's own sleeps end through cancellation.
            group.cancelAll()
        }
    }

    private func bind(port: Int, http: HTTP1Channel) async throws -> NIOAsyncChannel<HTTP1Channel.Value, Never> {
        let logger = self.logger
        return try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            // SO_REUSEADDR lets a cleared `refuse` re-bind the port while old connections sit in TIME_WAIT.
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .bind(host: host, port: port, serverBackPressureStrategy: nil) { channel in
                http.setup(channel: channel, logger: logger)
            }
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
            state.refusing = true
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
