import Logging
import NIOCore
import NIOPosix
import SynapseMockKit
import SynapseMocks

/// Runs a `MockCluster` (mocks plus control API, free ports by default) for the duration of
/// `body`, and shuts it down afterwards, also when `body` throws.
public func withMockCluster<T: Sendable>(
    _ configuration: MockCluster.Configuration = .init(),
    time: MockTime = .system,
    logger: Logger = Logger(label: "synapse.mocks"),
    _ body: (MockCluster.Endpoints) async throws -> T
) async throws -> T {
    let cluster = try MockCluster(configuration: configuration, time: time, logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await cluster.run() }
        defer { group.cancelAll() }
        return try await body(try await cluster.endpoints())
    }
}

/// Addresses nobody listens on, for "connection refused" without a mock.
public enum UnusedAddress {
    /// `http://127.0.0.1:PORT` for a port that was just bound and released, so connecting to it
    /// is refused (unless another process grabs it in between, which port 0 makes unlikely).
    public static func url() async throws -> String {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return "http://127.0.0.1:\(port)"
    }
}
