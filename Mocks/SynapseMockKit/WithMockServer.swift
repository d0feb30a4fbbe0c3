import Logging
import NIOCore
import NIOPosix

/// Serves `mock` on 127.0.0.1 (port 0), runs `body` with its handle, and shuts the mock down
/// afterwards, also when `body` throws.
public func withMockServer<T: Sendable>(
    _ mock: some MockServer,
    configuration: MockHost.Configuration = .init(),
    time: MockTime = .system,
    logger: Logger = Logger(label: "synapse.mock"),
    _ body: (MockHandle) async throws -> T
) async throws -> T {
    let host = MockHost(mock: mock, configuration: configuration, time: time, logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await host.run() }
        // Whatever happens in `body`, cancelling the group stops the host (see MockHost.run).
        defer { group.cancelAll() }
        let handle = try await host.handle()
        return try await body(handle)
    }
}
