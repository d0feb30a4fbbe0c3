/// When requests are sent: the recording's own timing, an open model (a rate, whatever the
/// target does) or a closed model (a number of clients, each waiting for its answer).
public enum Pacing: Sendable, Equatable {
    /// How the open model spaces its arrivals.
    public enum Arrival: String, Sendable, Equatable, CaseIterable {
        /// Exactly 1/rate apart.
        case constant
        /// A Poisson process (exponential gaps), drawn from the run's seed.
        case poisson
    }

    /// Each request at its recorded offset divided by `speed` (2: twice as fast).
    case recorded(speed: Double)
    /// Requests per second, as a ramp. Latency counts from each request's slot in the schedule,
    /// so a slow target cannot slow the schedule down (no coordinated omission).
    case rate(Ramp, arrival: Arrival)
    /// Requests in flight, as a ramp: each client sends its next request when the previous
    /// answer has ended.
    case concurrency(Ramp)

    /// Event loops worth using: in the closed model a loop's share of the requests is sent
    /// only by its share of the clients, so a loop without a client would hold its share forever.
    func usefulLoops(of threads: Int) -> Int {
        guard case .concurrency(let ramp) = self else { return threads }
        let peak = ramp.stages.map(\.value).reduce(ramp.initial, Swift.max)
        return Swift.max(1, Swift.min(threads, Int(peak.rounded())))
    }

    /// When the ramp, if any, stops changing.
    var rampDuration: Duration? {
        switch self {
        case .recorded: nil
        case .rate(let ramp, _), .concurrency(let ramp): ramp.stages.isEmpty ? nil : ramp.totalDuration
        }
    }
}
