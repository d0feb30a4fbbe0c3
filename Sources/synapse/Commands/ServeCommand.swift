import ArgumentParser
import Foundation
import Logging
import SynapseCore
import SynapseGateway

/// `synapse serve`: runs the gateway until SIGTERM/SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the gateway.")

    @OptionGroup var options: ConfigOptions
    @Option(help: "Address to listen on (overrides gateway.host).") var host: String?
    @Option(help: "Port to listen on (overrides gateway.port; default 8000).") var port: Int?
    @Flag(
        name: .customLong("insecure-local-admin"),
        help: "Serve the admin API to loopback clients without SYNAPSE_ADMIN_TOKEN (never behind a proxy on this host).")
    var insecureLocalAdmin = false
    @Flag(
        name: .customLong("no-fast-path"),
        help: "Serve /v1/embeddings through the general path too (for comparing; the answers are the same).")
    var noFastPath = false
    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain: serve HTTPS (HTTP/2 by ALPN, HTTP/1.1 otherwise); re-read on SIGHUP.")
    var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert.") var tlsKey: String?
    @OptionGroup var recording: RecordingOptions

    func validate() throws {
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
    }

    func run() async throws {
        var (config, warnings) = try options.load()
        let recordingSettings = try recording.settings()
        // The command line's word over the file's, at start-up and on every reload alike.
        let overrides: @Sendable (inout SynapseConfig) -> Void = { [host, port, insecureLocalAdmin, noFastPath, tlsCert, tlsKey] config in
            if let tlsCert, let tlsKey { config.gateway.tls = TLSFiles(certFile: tlsCert, keyFile: tlsKey) }
            if let host { config.gateway.host = host }
            if let port { config.gateway.port = port }
            if insecureLocalAdmin { config.gateway.insecureLocalAdmin = true }
            if noFastPath { config.gateway.fastPassThrough = false }
            if let recordingSettings { config.gateway.recording = recordingSettings }
        }
        overrides(&config)
        // SIGHUP and POST /admin/reload read the file again through the same validator as
        // start-up and `synapse config check`.
        let path = options.path
        let reloadSource = ConfigSource {
            var outcome = ConfigLoader(environment: ProcessInfo.processInfo.environment).load(path: path)
            if var reloaded = outcome.config {
                overrides(&reloaded)
                outcome.config = reloaded
            }
            return outcome
        }
        // One feed for the process: its log handler publishes into it and the gateway serves it.
        let feed = config.terminalFeed.isLive ? TerminalFeed(settings: config.terminalFeed, instance: config.gateway.instanceID) : nil
        let logger = LogSetup.bootstrap(level: config.gateway.logLevel, feed: feed)
        for warning in warnings { logger.warning("\(warning)") }
        let host = config.gateway.host
        let backendCount = config.backends.count
        let scheme = config.gateway.tls == nil ? "http" : "https"
        let gateway = GatewayService(config: config, logger: logger, terminalFeed: feed, reloadSource: reloadSource) { port in
            logger.notice("Synapse listening on \(scheme)://\(host):\(port) with \(backendCount) backends")
        }
        try await GatewayRunner.run([gateway], drainWindow: config.gateway.drainWindow, gracePeriod: config.effectiveShutdownGracePeriod, logger: logger)
    }
}
