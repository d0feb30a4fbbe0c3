import ArgumentParser
import Foundation
import SynapseCore

/// `--record DIR` and its companions, shared by `synapse serve` and `synapse dev`.
struct RecordingOptions: ParsableArguments {
    @Option(
        name: .customLong("record"), help: ArgumentHelp("Record every exchange as HAR 1.2 into DIR (DIR/*.har, bodies in DIR/bodies/).", valueName: "DIR"))
    var directory: String?
    @Option(name: .customLong("record-sample"), help: "Share of requests recorded, 0 to 1 (default 1).") var sample: Double?
    @Option(name: .customLong("record-routes"), help: "Record only these path prefixes or routes, comma-separated (e.g. /v1/,/tts/).")
    var routes: String?
    @Option(name: .customLong("record-redact-header"), help: "Also redact this header (repeatable; Authorization, X-API-Key and cookies always are).")
    var redactHeaders: [String] = []
    @Option(name: .customLong("record-max-entries"), help: "Entries per HAR file before a new one starts (default 1000).") var maxEntries: Int?
    @Option(name: .customLong("record-max-file-size"), help: "HAR file size before a new one starts, e.g. 64MiB (the default).") var maxFileSize: String?
    @Option(name: .customLong("record-buffer"), help: "Bytes waiting for the writer before exchanges are dropped, e.g. 16MiB (the default).")
    var buffer: String?

    /// The settings asked for; nil without `--record`.
    func settings() throws -> RecordingSettings? {
        guard let directory else {
            if sample != nil || routes != nil || !redactHeaders.isEmpty || maxEntries != nil || maxFileSize != nil || buffer != nil {
                throw ValidationError("--record-* options need --record DIR")
            }
            return nil
        }
        var settings = RecordingSettings(directory: directory)
        if let sample { settings.sampleRate = sample }
        if let routes { settings.routes = routes.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        settings.redactHeaders = redactHeaders
        if let maxEntries { settings.maxEntriesPerFile = maxEntries }
        if let maxFileSize {
            guard let size = ConfigScalars.size(maxFileSize) else {
                throw ValidationError("--record-max-file-size: bad size '\(maxFileSize)' (use e.g. 64MiB)")
            }
            settings.maxFileSize = size
        }
        if let buffer {
            guard let size = ConfigScalars.size(buffer) else { throw ValidationError("--record-buffer: bad size '\(buffer)' (use e.g. 16MiB)") }
            settings.bufferSize = size
        }
        let problems = settings.problems
        guard problems.isEmpty else { throw ValidationError("--record: " + problems.joined(separator: "; ")) }
        return settings
    }
}
