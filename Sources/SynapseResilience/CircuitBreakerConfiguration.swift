/// Tuning for a `CircuitBreaker`. Every default matches the original gateway's behaviour.
public struct CircuitBreakerConfiguration: Sendable, Hashable {
    /// Consecutive counted failures that open a closed breaker. Default 5; must be at least 1.
    public var failureThreshold: Int
    /// How long the breaker stays open before it lets one probe through. Default 30 s.
    public var openFor: Duration
    /// HTTP statuses that count as failures as if the connection had failed (e.g. `[502, 503, 504]`).
    ///
    /// Default empty: any response proves the backend is reachable and resets the count. Counted
    /// statuses still never cause a retry (see `RetryPolicy`).
    public var countedStatuses: Set<Int>

    public init(failureThreshold: Int = 5, openFor: Duration = .seconds(30), countedStatuses: Set<Int> = []) {
        precondition(failureThreshold >= 1, "failureThreshold must be at least 1")
        precondition(openFor >= .zero, "openFor must not be negative")
        self.failureThreshold = failureThreshold
        self.openFor = openFor
        self.countedStatuses = countedStatuses
    }

    /// The opt-in gateway statuses: 502, 503 and 504.
    public static let gatewayErrorStatuses: Set<Int> = [502, 503, 504]

    /// How the breaker treats one attempt's outcome.
    public func verdict(for outcome: Outcome) -> Verdict {
        switch outcome {
        case .connectFailed, .reset(beforeRequestSent: true), .tlsFailed:
            return .failure
        case .response(let status):
            return countedStatuses.contains(status) ? .failure : .success
        // Timeouts after connecting, resets after the request left and cancellations say nothing
        // reliable about reachability, so they neither count nor clear the count.
        case .timedOut, .reset(beforeRequestSent: false), .cancelled:
            return .neutral
        }
    }

    /// The breaker's reading of an outcome.
    public enum Verdict: Sendable, Hashable {
        /// Counts towards opening (or re-opens a half-open breaker).
        case failure
        /// Clears the count (or closes a half-open breaker).
        case success
        /// Changes nothing; a probe with this verdict just frees its slot.
        case neutral
    }
}
