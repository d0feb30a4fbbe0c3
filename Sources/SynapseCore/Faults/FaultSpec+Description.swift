extension FaultSpec: CustomStringConvertible {
    /// The compact form (`status=503;retry_after=2`), readable in logs and accepted by `init(compact:)`.
    public var description: String {
        switch self {
        case .latency(let fixed, let jitter):
            jitter == .zero ? "latency=\(fixed.faultMilliseconds)" : "latency=\(fixed.faultMilliseconds);jitter_ms=\(jitter.faultMilliseconds)"
        case .refuse: "refuse"
        case .reset(let phase): "reset=\(phase.rawValue)"
        case .hang: "hang"
        case .loadFailure: "load_failure"
        case .status(let code, let message, let retryAfter):
            "status=\(code)" + (retryAfter.map { ";retry_after=\($0)" } ?? "") + (message.map { ";message=\($0)" } ?? "")
        case .malformed(let variant): "malformed=\(variant.rawValue)"
        case .slowBody(let rate): "slow_body=\(rate)"
        case .truncate(.afterBytes(let bytes)): "truncate=\(bytes)"
        case .truncate(.afterEvents(let events)): "truncate;after_events=\(events)"
        case .stall(let events, let duration): "stall=\(events)" + (duration.map { ";ms=\($0.faultMilliseconds)" } ?? "")
        }
    }
}
