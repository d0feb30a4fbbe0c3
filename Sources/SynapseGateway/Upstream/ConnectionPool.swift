import NIOCore
import SynapseCore
import Synchronization

/// Idle keep-alive connections to one backend, reused most recent first.
///
/// Bounded: past `maxIdle` a released connection is closed instead of kept. A kept connection
/// is dropped once idle longer than `idleTimeout` (`sweep()`, run by `UpstreamClient` on a timer)
/// or found closed when taken: a pooled connection keeps reading while idle, so a backend that
/// closed it (its own keep-alive timeout) or sent stray bytes leaves it inactive, never reused.
final class ConnectionPool: Sendable {
    struct Configuration: Sendable {
        /// Idle connections kept. `UpstreamClient` sets the backend's `limits.maxInFlight` (the
        /// most requests it is sent at once): a pool never holds more connections open than the
        /// backend was ever asked to serve together (a llama.cpp server gives each open
        /// connection one of its HTTP threads).
        var maxIdle = 256
        /// How long an idle connection is reused. Default 4 s: just under the 5 s after which the
        /// backends' own servers close an idle keep-alive connection (uvicorn's default
        /// `--timeout-keep-alive`, cpp-httplib's in llama.cpp). A connection reused at the moment
        /// the backend closes it fails its request; giving it up a second earlier leaves that
        /// race only to a backend configured shorter.
        var idleTimeout = Duration.seconds(4)
        /// Time to open a connection: the backend's `timeouts.connect`.
        var connectTimeout = Duration.seconds(10)

        init() {}

        /// A pool for `backend`: its connect timeout, and at most `maxInFlight` connections idle.
        init(backend: BackendConfig) {
            connectTimeout = backend.timeouts.connect
            maxIdle = backend.limits.maxInFlight
        }
    }

    /// A request's `Host` header for a backend at `host`:`port`.
    static func hostHeader(host: String, port: Int) -> String {
        port == 80 ? host : "\(host):\(port)"
    }

    private struct Idle {
        var connection: UpstreamConnection
        var since: NIODeadline
    }

    let host: String
    let port: Int
    /// The request's `Host` header for this backend.
    let hostHeader: String
    let configuration: Configuration
    /// Where its connections live: the event loop whose requests use this pool.
    let eventLoop: any EventLoop
    private let idle = Mutex<(connections: [Idle], closed: Bool)>(([], false))

    init(host: String, port: Int, configuration: Configuration, eventLoop: any EventLoop) {
        self.host = host
        self.port = port
        self.hostHeader = Self.hostHeader(host: host, port: port)
        self.configuration = configuration
        self.eventLoop = eventLoop
    }

    /// Connections kept idle now.
    var idleCount: Int { idle.withLock { $0.connections.count } }

    /// A live idle connection, else a new one.
    func acquire() async throws -> UpstreamConnection {
        let now = NIODeadline.now()
        let expiry = TimeAmount.nanoseconds(configuration.idleTimeout.nanoseconds)
        while let idle = idle.withLock({ $0.connections.popLast() }) {
            if idle.connection.isActive, now - idle.since < expiry { return idle.connection }
            idle.connection.abandon()
        }
        return try await UpstreamConnection.connect(host: host, port: port, connectTimeout: configuration.connectTimeout, on: eventLoop)
    }

    /// Gives back a connection whose exchange ended cleanly.
    func release(_ connection: UpstreamConnection) {
        let kept = idle.withLock { state in
            guard !state.closed, state.connections.count < configuration.maxIdle, connection.isActive else { return false }
            state.connections.append(Idle(connection: connection, since: .now()))
            return true
        }
        if !kept { connection.abandon() }
    }

    /// Closes the connections idle for longer than the idle timeout, and any already closed.
    func sweep() {
        let now = NIODeadline.now()
        let expiry = TimeAmount.nanoseconds(configuration.idleTimeout.nanoseconds)
        let stale = idle.withLock { state -> [Idle] in
            var stale: [Idle] = []
            state.connections.removeAll { entry in
                let expired = now - entry.since >= expiry || !entry.connection.isActive
                if expired { stale.append(entry) }
                return expired
            }
            return stale
        }
        for entry in stale { entry.connection.abandon() }
    }

    /// Closes every idle connection; later releases close theirs.
    func shutdown() {
        let all = idle.withLock { state in
            state.closed = true
            defer { state.connections = [] }
            return state.connections
        }
        for entry in all { entry.connection.abandon() }
    }
}
