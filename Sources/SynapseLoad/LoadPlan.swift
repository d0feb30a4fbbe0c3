import NIOCore
import SynapseLoadReport

/// Everything a run needs, decided before it starts: what to send, where, at which pace, for how long.
public struct LoadPlan: Sendable {
    public var requests: [ReplayRequest]
    public var target: TargetURL
    public var pacing: Pacing
    /// Repeat the recording until the run's end (`--duration` or the ramp); without it each
    /// request is sent once.
    public var loops = false
    /// Stop scheduling after this long. Default: when the recording (or the ramp) is done.
    public var duration: Duration?
    /// The longest a request may take once sent (`--timeout`). Default 60 s.
    public var timeout: Duration = .seconds(60)
    /// After `duration`, how long requests already due may still finish before they are counted
    /// as timeouts (`--grace`). Default 5 s.
    public var grace: Duration = .seconds(5)
    /// Open model and recorded timing: connections opened at most, over all loops, when every
    /// open one is busy (`--max-connections`). Default 512.
    public var maxConnections = 512
    /// Event loops (threads) that send. Default: one per core.
    public var threads = System.coreCount
    /// For Poisson arrivals; printed in the report so a run can be repeated.
    public var seed: UInt64 = 0
    /// Called with every sample on the loop that made it (tests; raw sample output).
    public var onSample: (@Sendable (RequestSample) -> Void)?

    public init(requests: [ReplayRequest], target: TargetURL, pacing: Pacing) {
        self.requests = requests
        self.target = target
        self.pacing = pacing
    }

    /// When no more requests are scheduled: `duration`, else the ramp's end, else never (the
    /// recording running out ends the run).
    var stop: Duration? { duration ?? pacing.rampDuration }

    /// What is wrong with the plan, if anything.
    public func validate() throws(LoadError) {
        func fail(_ message: String) -> LoadError { LoadError(code: "bad_plan", message: message) }
        if requests.isEmpty { throw LoadError(code: "no_requests", message: "no request to send (the filters left none)") }
        if loops, stop == nil { throw fail("--loop needs --duration or --ramp to end") }
        if threads < 1 { throw fail("--threads must be at least 1") }
        if maxConnections < 1 { throw fail("--max-connections must be at least 1") }
        if timeout <= .zero { throw fail("--timeout must be positive") }
        switch pacing {
        case .recorded(let speed):
            if !(speed > 0 && speed.isFinite) { throw fail("--speed must be a positive number") }
        case .rate(let ramp, _):
            if ramp.stages.isEmpty, !(ramp.initial > 0) { throw fail("--rate must be positive (or 0 followed by a --ramp)") }
        case .concurrency(let ramp):
            if ramp.stages.isEmpty, ramp.initial < 1 { throw fail("--concurrency must be at least 1 (or 0 followed by a --ramp)") }
        }
    }
}
