import Synchronization

/// Permission for one attempt, handed out by `SharedCircuitBreaker.admit()`; report its outcome
/// exactly once with `record(_:)` (or `cancel()`).
///
/// For the probe this is what keeps half-open honest: the probe slot is held until the permit is
/// settled. Reports after the first are ignored, and a permit dropped without a report counts as
/// cancelled, so an error path that forgets it cannot leave the breaker stuck half-open.
public final class BreakerPermit: Sendable {
    /// `true` when this attempt is the half-open breaker's single probe.
    public let isProbe: Bool
    /// Delivers the outcome to the breaker that issued the permit.
    private let deliver: @Sendable (Outcome) -> Void
    private let settled = Mutex(false)

    init(isProbe: Bool, deliver: @escaping @Sendable (Outcome) -> Void) {
        self.isProbe = isProbe
        self.deliver = deliver
    }

    /// Reports the attempt's outcome. Returns `false` (and changes nothing) if the permit was
    /// already settled.
    @discardableResult
    public func record(_ outcome: Outcome) -> Bool {
        guard settle() else { return false }
        deliver(outcome)
        return true
    }

    /// Reports that the client went away: a probe frees its slot without counting either way.
    @discardableResult
    public func cancel() -> Bool {
        record(.cancelled)
    }

    /// `true` once `record(_:)` or `cancel()` has been called.
    public var isSettled: Bool { settled.withLock { $0 } }

    /// Marks the permit settled; `true` only for the first caller.
    private func settle() -> Bool {
        settled.withLock { done in
            defer { done = true }
            return !done
        }
    }

    deinit {
        if settle() { deliver(.cancelled) }
    }
}
