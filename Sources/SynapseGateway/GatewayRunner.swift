import Logging
import UnixSignals
import ServiceLifecycle
import SynapseCore

/// Runs services until SIGTERM/SIGINT, then shuts them down gracefully within the configured
/// grace period (after which in-flight work is cancelled).
public enum GatewayRunner {
    public static func run(_ services: [any Service], gracePeriod: Duration, logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = gracePeriod
        try await ServiceGroup(configuration: configuration).run()
    }
}
