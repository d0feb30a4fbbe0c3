import ArgumentParser
import SynapseCore

/// `synapse config check|dump`.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Check or print a configuration.", subcommands: [Check.self, Dump.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a configuration: exit 0, or print every problem and exit 2.")
        @OptionGroup var options: ConfigOptions

        func run() throws {
            let (config, warnings) = try options.load()
            for warning in warnings { print(warning) }
            print("\(options.path): OK (\(config.backends.count) backends, \(config.routes.count) routes)")
        }
    }

    struct Dump: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the effective configuration (defaults and SYNAPSE_* overrides applied, secrets redacted).")
        @OptionGroup var options: ConfigOptions
        @Flag(help: "Accepted for compatibility; the dump is always the effective configuration.") var effective = false

        func run() throws {
            let (config, _) = try options.load()
            print(config.effectiveYAML(), terminator: "")
        }
    }
}
