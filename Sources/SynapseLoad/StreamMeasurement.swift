import NIOCore
import NIOHTTP1
import SynapseCore
import SynapseLoadReport

/// The streaming figures of one response, taken while its body arrives: for a chat stream the
/// time to the first token and the gaps between tokens, for synthesized audio the first audio
/// byte and the audio's length (its WAV header), for a transcription stream the first segment.
/// A plain response costs nothing here: its body is only counted.
struct StreamMeasurement: Sendable {
    private(set) var kind: RequestSample.StreamKind
    private var events = EventStreamScanner()
    private var wav: WAVHeaderScanner?
    private var wavHeader: WAVHeader?
    private(set) var firstToken: NIODeadline?
    private var lastToken: NIODeadline?
    private(set) var tokenGaps: [Duration] = []
    private(set) var firstAudio: NIODeadline?
    private(set) var firstSegment: NIODeadline?

    /// Chooses what to measure from the answer's head and the request's path.
    init(head: HTTPResponseHead, path: Substring) {
        let type = head.headers.first(name: "content-type")?.lowercased() ?? ""
        if type.hasPrefix("text/event-stream") {
            if path.contains("/chat/completions") {
                kind = .chatEvents
            } else if path.contains("/stt") || path.contains("transcri") || path.hasSuffix("/stream") {
                kind = .transcriptEvents
            } else {
                kind = .plain
            }
        } else if type.hasPrefix("audio/") {
            kind = .audio
            if type.contains("wav") { wav = WAVHeaderScanner() }
        } else {
            kind = .plain
        }
    }

    /// A plain answer: nothing to look at in its body.
    var isPlain: Bool { kind == .plain }

    mutating func observe(_ body: ByteBuffer, at now: NIODeadline) {
        switch kind {
        case .plain:
            break
        case .audio:
            if firstAudio == nil, body.readableBytes > 0 { firstAudio = now }
            if var scanner = wav {
                switch try? scanner.feed(body.readableBytesView) {
                case .header(let header):
                    wavHeader = header
                    wav = nil
                case .needMoreBytes:
                    wav = scanner
                case nil:
                    wav = nil  // not a WAV after all: no audio length
                }
            }
        case .chatEvents:
            for event in events.feed(body.readableBytesView) where Self.hasContent(event.data) {
                if firstToken == nil { firstToken = now }
                if let lastToken { tokenGaps.append(lastToken.duration(to: now)) }
                lastToken = now
            }
        case .transcriptEvents:
            guard firstSegment == nil else { return }
            if events.feed(body.readableBytesView).contains(where: { $0.name == "segment" }) { firstSegment = now }
        }
    }

    /// Seconds of audio in a body of `bodyBytes` bytes, when its WAV header was read.
    func audioSeconds(bodyBytes: Int) -> Double? {
        wavHeader.map { $0.duration(inFileOfSize: bodyBytes) }
    }

    /// A chat event carries a token when `choices[0].delta.content` is a non-empty string (the
    /// first event only names the role; reasoning and the final event carry no content).
    static func hasContent(_ data: [UInt8]) -> Bool {
        // Cheap filter first: most events of a long answer do have content, but `[DONE]` and
        // role-only events are skipped without parsing.
        guard data.count > 12, data.first == UInt8(ascii: "{") else { return false }
        guard let value = try? JSONValue.parse(data), let content = value.value(at: "choices.0.delta.content")?.stringValue else { return false }
        return !content.isEmpty
    }
}
