import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SynapseCore
import SynapseMockKit
import SynapseMocks
import UnixSignals

extension MockCatalogue.Profile: ExpressibleByArgument {}

/// The llama router's tuning flags, shared by `synapse mocks` and `synapse dev`.
struct RouterTuningOptions: ParsableArguments {
    @Option(name: .customLong("router-load-time"), help: "How long a llama-router model load takes, e.g. 2s or 500ms (default: the profile's).")
    var loadTime: String?

    @Option(
        name: .customLong("router-models-max"),
        help: "llama-router --models-max: running models before a load evicts the least recently used (0: no limit; default 1).")
    var modelsMax: Int?

    func validate() throws {
        if let loadTime, ConfigScalars.duration(loadTime) == nil {
            throw ValidationError("--router-load-time: \"\(loadTime)\" is not a duration (e.g. 2s, 500ms)")
        }
        if let modelsMax, modelsMax < 0 { throw ValidationError("--router-models-max must not be negative") }
    }

    /// The options as the catalogue takes them.
    var router: MockCatalogue.RouterOptions {
        .init(loadTime: loadTime.flatMap(ConfigScalars.duration), modelsMax: modelsMax)
    }
}

/// `synapse mocks`: serves the mock backends and their control API until SIGINT/SIGTERM.
public struct MocksCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mocks",
        abstract: "Run mock backends (with fault injection) and their control API.",
        discussion: """
            Mocks: \(MockCatalogue.names.joined(separator: ", ")).
            Control API: GET /mocks, GET|POST|DELETE /mocks/{name}/faults, DELETE /mocks/{name}/faults/{id},
            GET|DELETE /mocks/{name}/journal, POST /mocks/{name}/reset, POST /speech (mock TTS audio).
            `synapse scenario run --mocks URL` runs scenarios against this control API.
            --playback FILE_OR_DIR serves a HAR recording instead: a request is answered by the recorded entries with its \
            method, path and (per --playback-match) body, several in turn; an unmatched one gets --playback-unmatched-status \
            and the closest recorded request. Faults apply on top as usual.
            """
    )

    @Option(help: "Comma-separated mock names to start (default: all).")
    var only: String?

    @Option(help: "Interface to bind.")
    var host = "127.0.0.1"

    @Option(name: .customLong("port-base"), help: "First port; each mock gets base + its catalogue position (0: free ports).")
    var portBase = 0

    @Option(name: .customLong("control-port"), help: "Port of the control API (0: a free port).")
    var controlPort = 0

    @Option(name: .customLong("write-config"), help: "Write a backends.yaml pointing at the mocks to this file.")
    var writeConfig: String?

    @Option(name: .customLong("time-scale"), help: "Scale every mock delay (0.01 runs a 2 s model load in 20 ms).")
    var timeScale: Double = 1

    @Option(
        help: """
            synapse: configured like the backends Synapse fronts; captured: like the servers the transcripts \
            were captured from (for ../shared/tools/conformance.py).
            """)
    var profile: MockCatalogue.Profile = .synapse

    @OptionGroup var routerTuning: RouterTuningOptions

    @OptionGroup var playback: PlaybackOptions

    public init() {}

    public func validate() throws {
        if let names = onlyNames {
            for name in names where MockCatalogue.entry(named: name) == nil {
                throw ValidationError("unknown mock \"\(name)\"; known: \(MockCatalogue.names.joined(separator: ", "))")
            }
        }
        guard (0...65535).contains(portBase), (0...65535).contains(controlPort) else { throw ValidationError("ports must be in 0...65535") }
        guard timeScale > 0 else { throw ValidationError("--time-scale must be positive") }
    }

    private var onlyNames: [String]? {
        only.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    public func run() async throws {
        let logger = Logger(label: "synapse.mocks")
        var configuration = MockCluster.Configuration(
            only: onlyNames, host: host, portBase: portBase, controlPort: controlPort, profile: profile, router: routerTuning.router)
        let library = try playback.library()
        let started = try MockCatalogue.entries(named: onlyNames)
        if let library {
            configuration.replacements = playback.replacements(
                library, started: started, options: .init(profile: profile, router: routerTuning.router))
        }
        let cluster = try MockCluster(configuration: configuration, time: timeScale == 1 ? .system : .scaled(by: timeScale), logger: logger)
        let group = ServiceGroup(configuration: .init(services: [cluster], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let endpoints = try await cluster.endpoints()
            var lines = endpoints.mocks.map { "\($0.name): \($0.baseURL)" } + ["control: \(endpoints.controlURL)"]
            if let library { lines += playback.summary(library, started: started) }
            if let writeConfig {
                try await cluster.backendsYAML().write(toFile: writeConfig, atomically: true, encoding: .utf8)
                lines.append("wrote \(writeConfig)")
            }
            // Written unbuffered: scripts read these lines from a pipe while the mocks keep running.
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            try await tasks.waitForAll()
        }
    }
}
