import SynapseCore

/// The figures of one route (or of the whole run, when routes are merged): counters, errors by
/// status and kind, and one histogram per timing.
///
/// Recording touches only counters, a small dictionary of statuses and the histograms (no
/// strings, no formatting), since the engine records up to tens of thousands of samples a second.
public struct RouteStatistics: Sendable {
    public private(set) var requests = 0
    /// Requests that failed or answered 500 or above (`RequestSample.isError`).
    public private(set) var errors = 0
    /// Complete responses by status code, 4xx and 2xx included.
    public private(set) var statuses: [Int: Int] = [:]
    /// Requests with no complete response, by kind.
    public private(set) var failures: [RequestSample.FailureKind: Int] = [:]
    public private(set) var bytesSent = 0
    public private(set) var bytesReceived = 0

    /// Intended send time → last byte or failure, for every request (failures included: the
    /// caller waited that long too).
    public private(set) var latency = MetricHistogram()
    /// Intended send time → first response byte.
    public private(set) var firstByte = MetricHistogram()
    /// Chat event streams: intended send time → first content event.
    public private(set) var firstToken = MetricHistogram()
    /// Chat event streams: gaps between consecutive content events (inter-token latency).
    public private(set) var tokenGaps = MetricHistogram()
    /// TTS: intended send time → first audio byte.
    public private(set) var firstAudio = MetricHistogram()
    /// TTS: real-time factor in millionths; see `RouteStatistics.realTimeFactor(of:)`.
    public private(set) var realTimeFactor = MetricHistogram()
    /// STT event streams: intended send time → first segment.
    public private(set) var firstSegment = MetricHistogram()
    /// The gateway's own time on each request, from `X-Synapse-Overhead-Ms`.
    public private(set) var overhead = MetricHistogram()

    /// Responses of each streaming kind, to tell "no data" apart from "no such requests".
    public private(set) var chatStreams = 0
    public private(set) var audioStreams = 0
    public private(set) var transcriptStreams = 0

    public init() {}

    /// Adds one finished request.
    @inline(__always)
    public mutating func record(_ sample: RequestSample) {
        requests += 1
        if sample.isError { errors += 1 }
        switch sample.outcome {
        case .status(let code): statuses[code, default: 0] += 1
        case .failure(let kind): failures[kind, default: 0] += 1
        }
        bytesSent += sample.bytesSent
        bytesReceived += sample.bytesReceived
        latency.record(sample.latency)
        if let firstByte = sample.firstByte { self.firstByte.record(firstByte) }
        // Seconds in millionths are microseconds, the unit of the other timings.
        if let overhead = sample.overheadMilliseconds { self.overhead.record(ratio: overhead / 1000) }

        switch sample.stream {
        case .plain: break
        case .chatEvents:
            chatStreams += 1
            if let firstToken = sample.firstToken { self.firstToken.record(firstToken) }
            for gap in sample.tokenGaps { tokenGaps.record(gap) }
        case .audio:
            audioStreams += 1
            if let firstAudio = sample.firstAudio { self.firstAudio.record(firstAudio) }
            if let factor = Self.realTimeFactor(of: sample) { realTimeFactor.record(ratio: factor) }
        case .transcriptEvents:
            transcriptStreams += 1
            if let firstSegment = sample.firstSegment { self.firstSegment.record(firstSegment) }
        }
    }

    /// Adds another route's (or worker's) figures to these.
    public mutating func merge(_ other: RouteStatistics) {
        requests += other.requests
        errors += other.errors
        statuses.merge(other.statuses, uniquingKeysWith: +)
        failures.merge(other.failures, uniquingKeysWith: +)
        bytesSent += other.bytesSent
        bytesReceived += other.bytesReceived
        latency.merge(other.latency)
        firstByte.merge(other.firstByte)
        firstToken.merge(other.firstToken)
        tokenGaps.merge(other.tokenGaps)
        firstAudio.merge(other.firstAudio)
        realTimeFactor.merge(other.realTimeFactor)
        firstSegment.merge(other.firstSegment)
        overhead.merge(other.overhead)
        chatStreams += other.chatStreams
        audioStreams += other.audioStreams
        transcriptStreams += other.transcriptStreams
    }

    /// Errors over requests, 0 … 1; nil with no requests.
    public var errorRate: Double? {
        requests == 0 ? nil : Double(errors) / Double(requests)
    }

    /// The real-time factor of a TTS answer: the time the caller waited for the whole answer
    /// (its latency, from the intended send time to the last byte) over the seconds of audio it
    /// holds. Below 1 the audio came faster than it plays; 0.25 means 10 s of audio in 2.5 s.
    ///
    /// | latency | audio  | RTF  |
    /// | ------- | ------ | ---- |
    /// | 2.5 s   | 10 s   | 0.25 |
    /// | 4 s     | 4 s    | 1    |
    /// | 3 s     | 1.5 s  | 2    |
    ///
    /// Only complete answers (a status below 400) that say how long their audio is count.
    public static func realTimeFactor(of sample: RequestSample) -> Double? {
        guard case .status(let code) = sample.outcome, code < 400 else { return nil }
        guard let audioSeconds = sample.audioSeconds, audioSeconds > 0, audioSeconds.isFinite else { return nil }
        return sample.latency.seconds / audioSeconds
    }
}
