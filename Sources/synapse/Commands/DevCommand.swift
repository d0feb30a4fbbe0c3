import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SynapseCore
import SynapseGateway
import SynapseMockKit
import SynapseMocks
import UnixSignals

/// `synapse dev`: the gateway and every mock of the catalogue (control API included) in one process, for a
/// laptop with no GPU. The voice library lives in the git-ignored `.synapse/voices`.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev", abstract: "Run the gateway in front of every mock backend, in one process.")

    @Option(help: "Gateway port.") var port = 8000
    @Option(help: "Interface to bind (gateway and mocks).") var host = "127.0.0.1"
    @Option(name: .customLong("control-port"), help: "Port of the mocks' control API.") var controlPort = 8100
    @Option(name: .customLong("port-base"), help: "First mock port (0: free ports).") var portBase = 8101
    @Option(name: .customLong("voice-library"), help: "Voice library folder.") var voiceLibrary = ".synapse/voices"
    @Option(name: .customLong("time-scale"), help: "Scale every mock delay (e.g. 0.1 for faster model loads).") var timeScale: Double = 1
    @Option(name: .customLong("drain-window"), help: "After Ctrl-C/SIGTERM, keep serving this long with /readyz 503 (e.g. 5s).") var drainWindowText = "0s"
    @OptionGroup var routerTuning: RouterTuningOptions
    @OptionGroup var playback: PlaybackOptions
    @OptionGroup var recording: RecordingOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        // The feed and the log level must be known before logging starts; they come from the
        // environment only (the dev configuration is generated), so an empty configuration reads them.
        let settings = ConfigLoader(environment: environment).load(yaml: "backends: {}").config
        let feed = settings.flatMap { $0.terminalFeed.isLive ? TerminalFeed(settings: $0.terminalFeed, instance: $0.gateway.instanceID) : nil }
        let logger = LogSetup.bootstrap(level: settings?.gateway.logLevel ?? "info", feed: feed)
        var mocks = MockCluster.Configuration(host: host, portBase: portBase, controlPort: controlPort, router: routerTuning.router)
        // `--playback`: recorded answers in place of the mocks the recording names (see `synapse mocks`).
        if let library = try playback.library() {
            mocks.replacements = playback.replacements(library, started: MockCatalogue.entries, options: .init(router: routerTuning.router))
            FileHandle.standardOutput.write(Data((playback.summary(library, started: MockCatalogue.entries).joined(separator: "\n") + "\n").utf8))
        }
        let cluster = try MockCluster(configuration: mocks, time: timeScale == 1 ? .system : .scaled(by: timeScale), logger: logger)
        guard let drainWindow = ConfigScalars.duration(drainWindowText) else {
            throw ValidationError("--drain-window: bad duration '\(drainWindowText)' (use e.g. 0s, 500ms, 5s)")
        }
        let gateway = DevGateway(
            cluster: cluster, host: host, port: port, voiceLibrary: voiceLibrary, terminalFeed: feed, logger: logger,
            drainWindow: drainWindow, recording: try recording.settings())
        // A short grace on a laptop (the production default is the longest deadline).
        try await GatewayRunner.run([cluster, gateway], drainWindow: drainWindow, gracePeriod: .seconds(10), logger: logger)
    }
}

/// Waits for the mocks to listen, then runs the gateway on a configuration pointing at them.
struct DevGateway: Service {
    let cluster: MockCluster
    let host: String
    let port: Int
    let voiceLibrary: String
    let terminalFeed: TerminalFeed?
    let logger: Logger
    var drainWindow: Duration = .zero
    var recording: RecordingSettings? = nil

    func run() async throws {
        let endpoints = try await cluster.endpoints()
        let outcome = ConfigLoader(environment: ProcessInfo.processInfo.environment).load(yaml: try await cluster.backendsYAML())
        guard var config = outcome.config else { throw ConfigError(issues: outcome.errors) }
        config.gateway.host = host
        config.gateway.port = port
        config.placeVoiceLibrary(at: voiceLibrary)
        // As `serve --insecure-local-admin`: a laptop's own scripts reset breakers without a token.
        config.gateway.insecureLocalAdmin = true
        config.gateway.drainWindow = drainWindow
        config.gateway.recording = recording
        let gatewayURL = "http://\(host):\(port)"
        let gateway = GatewayService(config: config, logger: logger, terminalFeed: terminalFeed, mockControlURL: endpoints.controlURL) { _ in
            // Written straight to the file descriptor: `print` would sit in stdout's buffer when piped.
            FileHandle.standardOutput.write(Data(Self.banner(gatewayURL: gatewayURL, endpoints: endpoints).utf8))
        }
        try await gateway.run()
    }

    static func banner(gatewayURL: String, endpoints: MockCluster.Endpoints) -> String {
        var lines = ["", "Synapse dev: gateway \(gatewayURL)   dashboard \(gatewayURL)/   docs \(gatewayURL)/docs", "mocks:"]
        for mock in endpoints.mocks { lines.append("  \(mock.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(mock.baseURL)") }
        lines += [
            "control API: \(endpoints.controlURL)",
            "",
            "try:",
            "  curl -s \(gatewayURL)/health",
            "  curl -s \(gatewayURL)/v1/embeddings -H 'Content-Type: application/json' -d '{\"input\":\"hello\"}'",
            "  curl -sN \(gatewayURL)/v1/chat/completions -H 'Content-Type: application/json' \\",
            "       -d '{\"model\":\"Qwen3-8B-Q4_K_M\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}'",
            "  curl -s -X POST \(endpoints.controlURL)/mocks/llama-embed/faults -d '{\"kind\":\"status\",\"status\":503,\"times\":2}'",
            "",
        ]
        return lines.joined(separator: "\n")
    }
}
