import ArgumentParser
import MockPlayback
import SynapseCore
import SynapseGateway
import SynapseHAR
import SynapseMockKit
import SynapseMocks

extension PlaybackTiming: ExpressibleByArgument {}
extension BodyMatch: ExpressibleByArgument {}

/// The `--playback` flags of `synapse mocks` (and `synapse dev`): which recording, and how its
/// entries are matched and timed. Parsing only; `PlaybackServer` does the work.
struct PlaybackOptions: ParsableArguments {
    /// What serves a backend the recording has no entry for.
    enum Unrecorded: String, ExpressibleByArgument, CaseIterable {
        /// The catalogue's synthetic mock, as without `--playback`.
        case mock
        /// A playback server with nothing to play: every request is unmatched (health excepted).
        case unmatched
    }

    @Option(
        name: .customLong("playback"),
        help: ArgumentHelp(
            """
            Serve the answers of a HAR recording (a .har file or a folder of them): each backend the recording names is \
            played back on its usual port.
            """, valueName: "file-or-dir"))
    var path: String?

    @Option(name: .customLong("playback-timing"), help: "recorded: the recorded time to first byte and SSE event offsets; none: answer at once.")
    var timing: PlaybackTiming = .recorded

    @Option(
        name: .customLong("playback-match"),
        help: """
            How request bodies must match: exact (same bytes), json-subset (the recorded JSON is contained in the request's; \
            other bodies exact; use it behind the gateway, which adds the model and profile defaults to a chat), ignore \
            (method and path only).
            """)
    var match: BodyMatch = .exact

    @Option(
        name: .customLong("playback-unmatched-status"),
        help: ArgumentHelp("Status of the answer to a request nothing recorded matches.", valueName: "status"))
    var unmatchedStatus = 404

    @Flag(
        name: .customLong("playback-fallback"),
        help: """
            Let the synthetic mock answer what the recording does not hold, instead of --playback-unmatched-status \
            (e.g. the model list and load calls the gateway makes on its own before a chat).
            """)
    var fallback = false

    @Option(
        name: .customLong("playback-unrecorded"),
        help: "What serves a backend with no recorded entry: mock (the synthetic mock) or unmatched (every request unmatched).")
    var unrecorded: Unrecorded = .mock

    @Option(
        name: .customLong("playback-backend"),
        help: ArgumentHelp(
            """
            Entries without Synapse's _synapse field were recorded straight against this backend: serve them at their own \
            path (default: map them through the gateway's routes).
            """, valueName: "name"))
    var directBackend: String?

    func validate() throws {
        guard (200...599).contains(unmatchedStatus) else { throw ValidationError("--playback-unmatched-status must be in 200...599") }
        if let directBackend, MockCatalogue.entry(named: directBackend) == nil {
            throw ValidationError("--playback-backend: unknown backend \"\(directBackend)\"; known: \(MockCatalogue.names.joined(separator: ", "))")
        }
    }

    /// The recording sorted by backend, or nil without `--playback`. A recording that cannot be
    /// read is reported on standard error (HARReadError names the file and entry) with exit 2.
    func library() throws -> PlaybackLibrary? {
        guard let path else { return nil }
        do {
            return PlaybackLibrary(archive: try HARArchive.load(path), routing: routing)
        } catch {
            var stderr = StandardError()
            print("--playback: \(error)", to: &stderr)
            throw ExitCode(2)
        }
    }

    /// The playback servers standing in for the started backends, by name; a fallback mock is
    /// built with `options`.
    func replacements(
        _ library: PlaybackLibrary, started: [MockCatalogue.Entry], options: MockCatalogue.Options
    ) -> [String: @Sendable (MockTime) -> any MockServer] {
        let configuration = PlaybackServer.Configuration(timing: timing, bodyMatch: match, unmatchedStatus: unmatchedStatus)
        let fallback = self.fallback
        var replacements: [String: @Sendable (MockTime) -> any MockServer] = [:]
        for entry in started {
            let entries = library.entries(for: entry.name)
            if entries.isEmpty, unrecorded == .mock { continue }
            replacements[entry.name] = { time in
                PlaybackServer(
                    name: entry.name, backendType: entry.type, healthPath: entry.health, entries: entries, configuration: configuration,
                    fallback: fallback ? entry.make(time, options) : nil, time: time)
            }
        }
        return replacements
    }

    /// Start-up lines: what each started backend serves, and what the recording holds that nothing serves.
    func summary(_ library: PlaybackLibrary, started: [MockCatalogue.Entry]) -> [String] {
        var lines = ["playback: \(path ?? "")"]
        for entry in started {
            let count = library.entries(for: entry.name).count
            var what = count > 0 ? "\(count) recorded entr\(count == 1 ? "y" : "ies")" : "nothing recorded"
            if count == 0 { what += unrecorded == .mock ? ", synthetic mock" : fallback ? ", all to the fallback" : ", all unmatched" }
            if count > 0, fallback { what += ", the rest to the synthetic mock" }
            lines.append("  \(entry.name): \(what)")
        }
        for backend in library.backends where !started.contains(where: { $0.name == backend }) {
            lines.append("  \(backend): \(library.entries(for: backend).count) entries not served (no such mock started)")
        }
        let reasons = Dictionary(grouping: library.skipped, by: \.reason)
        for (reason, skipped) in reasons.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            lines.append("  skipped \(skipped.count) (\(reason.rawValue)), e.g. \(skipped[0].request) in \(skipped[0].source)")
        }
        return lines
    }

    /// Where an exchange without `_synapse` goes: to `--playback-backend` at its own path, or as
    /// the gateway forwards it (its default route table and `ForwardRoute.catalogue`; chat and
    /// the model routes keep their path on the OpenAI-compatible backends).
    var routing: PlaybackRouting {
        if let directBackend { return .direct(to: directBackend) }
        return .gateway(
            rules: RouteRule.originalDefaults,
            forwards: ForwardRoute.catalogue.map { .init(method: String(describing: $0.method), path: $0.path, backendPath: $0.backendPath) },
            samePath: Set(MockCatalogue.entries.filter { $0.type == "openai-compatible" }.map(\.name)))
    }
}
