/// Operator overrides. Each returns the transition it caused, or `nil` when it changed nothing.
extension CircuitBreaker {
    /// Pins the breaker open: every request is rejected until `forceClose()` or `reset()`.
    @discardableResult
    public mutating func forceOpen() -> Transition? {
        if case .forcedOpen = phase { return nil }
        let before = snapshot
        phase = .forcedOpen(failures: before.consecutiveFailures)
        return Transition(from: before.state, to: .open, reason: .forcedOpen)
    }

    /// Pins the breaker closed: every request is allowed and failures never open it, until `reset()`.
    @discardableResult
    public mutating func forceClose() -> Transition? {
        if case .forcedClosed = phase { return nil }
        let before = snapshot.state
        phase = .forcedClosed(failures: 0)
        return Transition(from: before, to: .closed, reason: .forcedClosed)
    }

    /// Returns to the initial state: closed, automatic, no failures counted, no probe in flight.
    /// A probe still out when this happens can no longer decide anything.
    @discardableResult
    public mutating func reset() -> Transition? {
        if phase == .closed(failures: 0) { return nil }
        let before = snapshot.state
        phase = .closed(failures: 0)
        return Transition(from: before, to: .closed, reason: .reset)
    }
}
