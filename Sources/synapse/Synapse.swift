import ArgumentParser

/// `synapse`: the one executable. Subcommands parse arguments and call library code.
@main
struct Synapse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synapse",
        abstract: "An HTTP gateway in front of AI backends, with mock backends and fault injection.",
        subcommands: [
            ServeCommand.self, ConfigCommand.self, MocksCommand.self, DevCommand.self, ScenarioCommand.self, BenchUpstreamCommand.self, FuzzCommand.self,
            LoadCommand.self, OpenAPICommand.self,
        ]
    )
}
