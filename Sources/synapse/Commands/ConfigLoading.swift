import ArgumentParser
import Foundation
import Logging
import SynapseCore
import SynapseGateway

/// The `--config` option shared by commands that read a configuration file.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Path of backends.yaml (default: $SYNAPSE_GATEWAY_CONFIG_PATH, else /config/backends.yaml).")
    var config: String?

    var path: String {
        config ?? ProcessInfo.processInfo.environment[EnvironmentOverrides.configPathVariable] ?? "/config/backends.yaml"
    }

    /// Loads and validates; prints every problem to standard error and exits non-zero on errors.
    func load() throws -> (SynapseConfig, [ConfigIssue]) {
        let outcome = ConfigLoader(environment: ProcessInfo.processInfo.environment).load(path: path)
        guard let config = outcome.config else {
            var stderr = StandardError()
            print("\(path): configuration is invalid (\(outcome.errors.count) problem\(outcome.errors.count == 1 ? "" : "s")):", to: &stderr)
            // In file order, so the list reads alongside the file.
            for issue in outcome.issues.sorted(by: { ($0.line ?? .max) < ($1.line ?? .max) }) { print("  \(issue)", to: &stderr) }
            throw ExitCode(2)
        }
        return (config, outcome.warnings)
    }
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}

/// Logging to standard output at the configured level (buffered: `BufferedLogHandler`) and, when a live terminal feed is given,
/// to that feed as well (records at `info` and above, as the original's feed handler).
enum LogSetup {
    static func bootstrap(level: String, feed: TerminalFeed? = nil) -> Logger {
        let logLevel = Logger.Level(rawValue: level) ?? .info
        LogOutput.standardOutput.startFlushing()
        LoggingSystem.bootstrap { label in
            var handler = BufferedLogHandler(label: label, output: .standardOutput)
            handler.logLevel = logLevel
            guard let feed else { return handler }
            var feedHandler = TerminalFeedLogHandler(label: label, feed: feed)
            feedHandler.logLevel = logLevel
            return MultiplexLogHandler([handler, feedHandler])
        }
        var logger = Logger(label: "synapse")
        logger.logLevel = logLevel
        return logger
    }
}
