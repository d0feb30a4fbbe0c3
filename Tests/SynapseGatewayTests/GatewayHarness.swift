import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import ServiceLifecycle
import SynapseClock
import SynapseCore
import SynapseGateway
import SynapseResilience
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Scoped servers for gateway tests: every server binds port 0 on loopback and is stopped when
/// the body returns or throws.
enum Harness {
    static let quietLogger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }()

    /// Runs a Hummingbird upstream built by `configure` and passes its port to `body`.
    static func withUpstream<T: Sendable>(
        port: Int = 0,
        _ configure: (Router<BasicRequestContext>) -> Void,
        _ body: @Sendable (Int) async throws -> T
    ) async throws -> T {
        let router = Router()
        configure(router)
        ReservedPorts.shared.release(port)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) },
            logger: quietLogger
        )
        return try await running({ try await app.runService() }, ports: ports, body)
    }

    /// Runs the gateway on `config` (its port replaced by 0) and passes its base URL to `body`.
    static func withGateway<T: Sendable>(
        _ config: SynapseConfig,
        clock: AnyClock? = nil,
        _ body: @Sendable (String) async throws -> T
    ) async throws -> T {
        try await withGatewayService(config, clock: clock) { _, url in try await body(url) }
    }

    /// Runs the gateway as the binary does, in a `ServiceGroup` on a free port of 127.0.0.1, for
    /// tests of its shutdown: `body` gets the port and the group, and must trigger the group's
    /// graceful shutdown; this returns the service once the gateway has stopped, and throws
    /// `TimeoutError` if it has not 20 s after `body` returned.
    @discardableResult
    static func withServiceGroup(_ config: SynapseConfig, _ body: @Sendable (Int, ServiceGroup) async throws -> Void) async throws -> GatewayService {
        var config = config
        config.gateway.host = "127.0.0.1"
        config.gateway.port = 0
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let gateway = GatewayService(config: config, logger: Harness.quietLogger) { continuation.yield($0) }
        let group = ServiceGroup(configuration: .init(services: [gateway], logger: Harness.quietLogger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            try await body(port, group)
            // Bounded, so a shutdown that never completes fails here rather than holding the run.
            tasks.addTask {
                try await Task.sleep(for: .seconds(20))
                throw TimeoutError()
            }
            _ = try await tasks.next()
            tasks.cancelAll()
        }
        return gateway
    }

    /// `withGateway`, also handing over the service (breakers, metrics).
    static func withGatewayService<T: Sendable>(
        _ config: SynapseConfig,
        clock: AnyClock? = nil,
        reloadSource: ConfigSource? = nil,
        _ body: @Sendable (GatewayService, String) async throws -> T
    ) async throws -> T {
        var config = config
        config.gateway.host = "127.0.0.1"
        config.gateway.port = 0
        // Never the production default (/data/voices): each gateway gets its own library, removed afterwards.
        var scratchLibrary: URL?
        if config.gateway.voiceLibraryDir == GatewaySettings().voiceLibraryDir {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("synapse-test-voices-\(UUID().uuidString)")
            config.placeVoiceLibrary(at: url.path)
            scratchLibrary = url
        }
        defer { if let scratchLibrary { try? FileManager.default.removeItem(at: scratchLibrary) } }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let gateway = GatewayService(config: config, logger: quietLogger, clock: clock, reloadSource: reloadSource) { continuation.yield($0) }
        return try await running(gateway.run, ports: ports) { port in try await body(gateway, "http://127.0.0.1:\(port)") }
    }

    private static func running<T: Sendable>(
        _ service: @escaping @Sendable () async throws -> Void,
        ports: AsyncStream<Int>,
        _ body: @Sendable (Int) async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            do {
                let result = try await body(port)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    /// A port on loopback that nothing listens on: bound, then closed (Caddy's `deadUpstreamAddr`).
    ///
    /// The port stays reserved by a socket that is bound but never listens, so connections to it
    /// are refused and no other test in the parallel run can be given it (a port that was merely
    /// closed can be handed out again by the next bind to port 0). `withUpstream(port:)` releases it.
    static func deadPort() async throws -> Int {
        try ReservedPorts.shared.reserve()
    }

    /// A configuration with the given backends (name → port) and the original's routes.
    static func config(_ backends: [String: Int], type: [String: String] = [:], configure: (inout SynapseConfig) -> Void = { _ in }) -> SynapseConfig {
        var config = SynapseConfig()
        for (name, port) in backends.sorted(by: { $0.key < $1.key }) {
            let backendType = type[name] ?? (name.hasPrefix("llama") ? "openai-compatible" : "generic")
            config.backends.append(BackendConfig(id: BackendID(name)!, url: BackendURL.parse("http://127.0.0.1:\(port)")!, type: backendType))
        }
        configure(&config)
        return config
    }

    /// - Parameter tls: for HTTPS to a gateway whose certificate a test CA signed.
    static func withClient<T: Sendable>(tls: TLSConfiguration? = nil, _ body: @Sendable (HTTPClient) async throws -> T) async throws -> T {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.tlsConfiguration = tls
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

/// A collected response, for assertions.
struct Reply: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: Data

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
    var text: String { String(decoding: body, as: UTF8.self) }
    var errorCode: String? { (json?["error"] as? [String: Any])?["code"] as? String }
}

extension HTTPClient {
    func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: Data? = nil, timeout: Duration = .seconds(30)) async throws -> Reply
    {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await execute(request, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
        let collected = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: Data(collected.readableBytesView))
    }
}

/// Loopback ports held by bound, non-listening sockets: connecting to one is refused at once.
final class ReservedPorts: Sendable {
    static let shared = ReservedPorts()
    private let sockets = Mutex<[Int: Int32]>([:])

    func reserve() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else {
            close(fd)
            throw IOError(errnoCode: errno, reason: "bind")
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        sockets.withLock { $0[port] = fd }
        return port
    }

    /// Frees a reserved port so a server can bind it (no-op for other ports).
    func release(_ port: Int) {
        if let fd = sockets.withLock({ $0.removeValue(forKey: port) }) { close(fd) }
    }
}
