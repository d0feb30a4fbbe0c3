import Logging
import ServiceLifecycle
import SynapseCore
import UnixSignals

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs services until SIGTERM/SIGINT, then shuts them down gracefully.
///
/// | signal | effect |
/// |---|---|
/// | first SIGTERM or SIGINT | graceful shutdown of every service (the gateway drains, then finishes in-flight work); after `drainWindow + gracePeriod` whatever is left is cancelled; `run` returns (exit 0) |
/// | second SIGTERM or SIGINT | the process exits at once with 128 + the signal's number: 143 (SIGTERM), 130 (SIGINT) |
public enum GatewayRunner {
    /// Exit status after a second signal: the shell's convention for "killed by signal N".
    public static func immediateExitStatus(for signal: UnixSignal) -> Int32 { 128 + signal.rawValue }

    /// - Parameters:
    ///   - drainWindow: time the gateway keeps serving after the first signal (it does so
    ///     itself, from its configuration); only added here to the time allowed before cancelling.
    ///   - gracePeriod: time in-flight work may take after the drain window.
    public static func run(_ services: [any Service], drainWindow: Duration = .zero, gracePeriod: Duration, logger: Logger) async throws {
        // Signals are handled below rather than by the group: a group ignores a second
        // graceful-shutdown signal, and a second signal must end the process at once.
        var configuration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [],
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = drainWindow + gracePeriod
        let group = ServiceGroup(configuration: configuration)
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask {
                var received = 0
                for await signal in signals {
                    received += 1
                    if received == 1 {
                        logger.notice(
                            "\(signal): shutting down gracefully (a second signal exits at once)",
                            metadata: [
                                "synapse.drain_window": "\(drainWindow)", "synapse.grace_period": "\(gracePeriod)",
                            ])
                        await group.triggerGracefulShutdown()
                    } else {
                        let status = immediateExitStatus(for: signal)
                        logger.warning("\(signal) again: exiting at once", metadata: ["synapse.exit_status": "\(status)"])
                        exit(status)
                    }
                }
            }
            // The group ends (shut down, or a service failed): stop listening for signals.
            defer { tasks.cancelAll() }
            try await tasks.next()
        }
    }
}
