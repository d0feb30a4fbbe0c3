import SynapseLoadReport

/// `load:` — replays a recording as load against the gateway while `during:` actions change the
/// mocks, then checks the run's figures against `thresholds`, each reported as one check.
///
/// A scenario with a load step runs on real time (load is paced by the real clock), in process
/// as well as against a running gateway.
public struct LoadStepSpec: Sendable {
    /// How requests are paced (one of `rate`, `concurrency`, `speed`).
    public enum Pacing: Sendable, Equatable {
        /// Open model: this many requests a second, whatever the answers take.
        case rate(Double)
        /// Closed model: this many requests in flight.
        case concurrency(Int)
        /// The recording's own timing, this many times faster.
        case recorded(speed: Double)
    }

    /// A HAR file or folder: relative to the scenario's folder, else to `Fixtures/`.
    public var recording: String
    public var pacing: Pacing
    /// Only the recorded requests whose path starts with one of these (none: all).
    public var routes: [String] = []
    /// How long to send for (default: until the recording is sent once).
    public var duration: Duration?
    /// Start the recording again when it ends (until `duration`).
    public var loop: Bool
    public var headers: [(String, String)]
    /// Client limit on one request. Default 30 s.
    public var timeout: Duration
    public var thresholds: [Threshold]
    /// 1-based line of each threshold, for the report.
    public var thresholdLines: [Int]
    /// Control actions at times counted from the step's start.
    public var during: [(at: Duration, action: Step.Action)] = []

    public init(
        recording: String, pacing: Pacing, duration: Duration? = nil, loop: Bool = false, headers: [(String, String)] = [],
        timeout: Duration = .seconds(30), thresholds: [Threshold] = [], thresholdLines: [Int] = []
    ) {
        self.recording = recording
        self.pacing = pacing
        self.duration = duration
        self.loop = loop
        self.headers = headers
        self.timeout = timeout
        self.thresholds = thresholds
        self.thresholdLines = thresholdLines
    }
}
