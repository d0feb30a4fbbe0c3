import Foundation
import HTTPTypes
import NIOCore
import SynapseClock
import SynapseCore
import SynapseHAR

/// One thing that happened to a recorded exchange, on its way from the request path to the
/// recorder's writer (through `RecordingBuffer`), or an instruction to the writer.
enum RecordingEvent: Sendable {
    case begin(ExchangeStart)
    case requestBody(id: Int, ByteBuffer)
    /// The request body was read to its end.
    case requestEnd(id: Int, at: AnyClock.Instant)
    case responseHead(id: Int, ResponseStart)
    case responseBody(id: Int, ByteBuffer, at: AnyClock.Instant)
    /// The response was sent completely: the entry can be written.
    case end(id: Int, at: AnyClock.Instant)
    /// The exchange is given up (dropped, client gone): forget it, remove its partial files.
    case abort(id: Int)
    /// Close the session's HAR file; its late exchanges are not written.
    case close(generation: Int, done: CheckedContinuation<Void, Never>?)
    /// Resumed once everything queued before it has been handled.
    case barrier(CheckedContinuation<Void, Never>)

    /// Body bytes the event holds (what the buffer's byte budget counts).
    var bodyBytes: Int {
        switch self {
        case .requestBody(_, let buffer), .responseBody(_, let buffer, _): buffer.readableBytes
        default: 0
        }
    }
}

/// A recording session: the settings in force from one `start` to the next `start` or `stop`.
struct RecordingSession: Sendable {
    let generation: Int
    let settings: RecordingSettings
    let redactor: HARRedactor
    let directory: URL

    init(generation: Int, settings: RecordingSettings) {
        self.generation = generation
        self.settings = settings
        self.redactor = HARRedactor(secretHeaders: settings.redactHeaders)
        self.directory = URL(fileURLWithPath: settings.directory, isDirectory: true)
    }
}

/// What the request path knows when an exchange begins.
struct ExchangeStart: Sendable {
    let id: Int
    let session: RecordingSession
    /// Wall-clock time, for `startedDateTime`.
    let startedAt: Date
    let started: AnyClock.Instant
    let method: String
    let scheme: String
    let authority: String
    let path: String
    let query: String
    let headers: HTTPFields
    let route: String?
    let backend: BackendID?
    /// The backend path, without the query (the entry adds the redacted one).
    let upstreamPath: String?
    let requestID: String
}

/// The response head as the middleware saw it.
struct ResponseStart: Sendable {
    let status: Int
    let reason: String
    let headers: HTTPFields
    let at: AnyClock.Instant
}
