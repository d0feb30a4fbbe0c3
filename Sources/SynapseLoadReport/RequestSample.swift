/// What one replayed request did, as the load engine saw it: the unit the statistics record.
///
/// Every duration is measured from the request's *intended* send time (its slot in the schedule),
/// not from when a connection became free, so a slow target cannot hide its queueing
/// (no coordinated omission). In the closed model the intended time is the moment the worker
/// became free, so the two coincide.
public struct RequestSample: Sendable {
    /// How the request ended.
    public enum Outcome: Sendable, Equatable {
        /// A complete response with this status.
        case status(Int)
        /// No (complete) response: the kind of failure.
        case failure(FailureKind)
    }

    /// Transport failures, by kind, as the report counts them.
    public enum FailureKind: String, Sendable, CaseIterable, Codable {
        /// The connection was refused (nothing listening, or the listener's queue was full).
        case refused
        /// The peer reset or closed the connection before the response was complete.
        case reset
        /// The client's own per-request timeout fired.
        case timeout
        /// Anything else (a malformed response, a local error).
        case other
    }

    /// What kind of stream the response was, for the streaming figures.
    public enum StreamKind: String, Sendable, Codable {
        /// A plain response: only latency and bytes.
        case plain
        /// A chat completion as server-sent events: time to first token, inter-token gaps.
        case chatEvents
        /// Synthesized audio (TTS): time to first audio byte, real-time factor.
        case audio
        /// A transcription as server-sent events: time to first segment.
        case transcriptEvents
    }

    /// The route label: method and path without the query (`POST /v1/chat/completions`).
    public var route: String
    /// The intended send time, counted from the start of the run.
    public var scheduledAt: Duration
    /// Intended send time → last response byte (or the failure).
    public var latency: Duration
    public var outcome: Outcome
    /// Request body bytes written, response body bytes read.
    public var bytesSent: Int
    public var bytesReceived: Int
    /// Intended send time → first response byte (the head counts), when one arrived.
    public var firstByte: Duration?
    public var stream: StreamKind
    /// Chat events: intended send time → first event with content.
    public var firstToken: Duration?
    /// Chat events: the gaps between consecutive content events.
    public var tokenGaps: [Duration]
    /// TTS: intended send time → first audio byte of the body.
    public var firstAudio: Duration?
    /// TTS: seconds of audio returned (from the WAV header), for the real-time factor.
    public var audioSeconds: Double?
    /// STT events: intended send time → first segment event.
    public var firstSegment: Duration?
    /// The gateway's own time on the request (`X-Synapse-Overhead-Ms`), when the target sent it.
    public var overheadMilliseconds: Double?

    public init(
        route: String, scheduledAt: Duration, latency: Duration, outcome: Outcome, bytesSent: Int = 0, bytesReceived: Int = 0,
        firstByte: Duration? = nil, stream: StreamKind = .plain, firstToken: Duration? = nil, tokenGaps: [Duration] = [],
        firstAudio: Duration? = nil, audioSeconds: Double? = nil, firstSegment: Duration? = nil, overheadMilliseconds: Double? = nil
    ) {
        self.route = route
        self.scheduledAt = scheduledAt
        self.latency = latency
        self.outcome = outcome
        self.bytesSent = bytesSent
        self.bytesReceived = bytesReceived
        self.firstByte = firstByte
        self.stream = stream
        self.firstToken = firstToken
        self.tokenGaps = tokenGaps
        self.firstAudio = firstAudio
        self.audioSeconds = audioSeconds
        self.firstSegment = firstSegment
        self.overheadMilliseconds = overheadMilliseconds
    }

    /// An error for the error rate: a failure, or a status of 500 or above. (4xx answers count
    /// by status but are not errors: a recording may hold deliberate 404s and 422s.)
    public var isError: Bool {
        switch outcome {
        case .failure: true
        case .status(let code): code >= 500
        }
    }
}
