import SynapseHAR

/// A recording sorted out by backend: the entries each playback server serves, in recording
/// order, and the exchanges no backend serves, with the reason.
public struct PlaybackLibrary: Sendable {
    /// An exchange left out of playback.
    public struct Skipped: Sendable {
        /// `POST /tts/synthesize` as the client called it.
        public var request: String
        /// `recording.har entry 3`.
        public var source: String
        public var reason: Reason
    }

    /// Why an exchange is left out.
    public enum Reason: String, Sendable {
        /// The gateway answered it itself (voices, health, pages).
        case gatewayOwn = "answered by the gateway itself"
        /// No `_synapse` and no backend for its path in the route mapping.
        case unmapped = "no backend for this path"
        /// The recording holds no answer (a browser export of a failed or informational request).
        case noAnswer = "no final answer recorded"
    }

    /// Entries by backend name, each list in recording order.
    public private(set) var entries: [String: [PlaybackEntry]] = [:]
    public private(set) var skipped: [Skipped] = []

    public init(archive: HARArchive, routing: PlaybackRouting) {
        for exchange in archive.exchanges {
            let reason: Reason
            // Browsers export blocked and failed requests with status 0.
            if !(200...599).contains(exchange.entry.response.status) {
                reason = .noAnswer
            } else {
                switch routing.resolve(exchange) {
                case .backend(let destination):
                    entries[destination.backend, default: []].append(PlaybackEntry(exchange: exchange, target: destination.target))
                    continue
                case .gatewayOwn: reason = .gatewayOwn
                case .unmapped: reason = .unmapped
                }
            }
            skipped.append(Skipped(request: exchange.route, source: exchange.playbackSource, reason: reason))
        }
    }

    /// The entries `backend` serves (none when the recording has no exchange for it).
    public func entries(for backend: String) -> [PlaybackEntry] { entries[backend] ?? [] }

    /// Names of the backends with at least one entry, sorted.
    public var backends: [String] { entries.keys.sorted() }
}
