import NIOCore
import NIOHTTP1
import SynapseLoadReport

/// One request on its way, as its connection tracks it: when it was meant to go, what came back
/// so far. Turned into a `RequestSample` when it ends.
struct Exchange: Sendable {
    /// A request waiting for a connection: its slot in the schedule and which request it is.
    struct Pending: Sendable {
        var intended: NIODeadline
        /// The same slot counted from the start of the run, for the sample.
        var scheduledAt: Duration
        var request: Int
    }

    var pending: Pending
    var route: String
    var path: Substring
    /// Past this the request has timed out (counted from when it was sent).
    var deadline: NIODeadline
    var bytesSent = 0
    var bodySent = false
    var status: Int?
    var firstByte: NIODeadline?
    var bytesReceived = 0
    var keepAlive = true
    var overheadMilliseconds: Double?
    var stream: StreamMeasurement?

    /// The sample of an exchange that ended at `now`, with an answer or with `failure`.
    func sample(at now: NIODeadline, failure: RequestSample.FailureKind? = nil) -> RequestSample {
        let intended = pending.intended
        let outcome: RequestSample.Outcome = failure.map { .failure($0) } ?? .status(status ?? 0)
        return RequestSample(
            route: route, scheduledAt: pending.scheduledAt, latency: intended.duration(to: now), outcome: outcome, bytesSent: bytesSent,
            bytesReceived: bytesReceived, firstByte: firstByte.map { intended.duration(to: $0) }, stream: stream?.kind ?? .plain,
            firstToken: stream?.firstToken.map { intended.duration(to: $0) }, tokenGaps: stream?.tokenGaps ?? [],
            firstAudio: stream?.firstAudio.map { intended.duration(to: $0) }, audioSeconds: stream?.audioSeconds(bodyBytes: bytesReceived),
            firstSegment: stream?.firstSegment.map { intended.duration(to: $0) }, overheadMilliseconds: overheadMilliseconds)
    }
}

extension NIODeadline {
    /// From this instant to a later one, as a `Duration` (negative if `later` is earlier).
    func duration(to later: NIODeadline) -> Duration {
        .nanoseconds(Int64(bitPattern: later.uptimeNanoseconds &- uptimeNanoseconds))
    }

    /// This instant plus a `Duration`.
    func adding(_ duration: Duration) -> NIODeadline {
        let (seconds, attoseconds) = duration.components
        return self + .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
