/// Stops traffic to a backend after consecutive connection failures, then lets one probe through.
///
/// ```
///            failureThreshold consecutive failures
///   closed ─────────────────────────────────────────▶ open ◀────────────┐
///     ▲                                                │ openFor later   │ probe failed
///     │ probe got a response                           ▼                 │ to connect
///     └────────────────────────────────────────── halfOpen ─────────────┘
///                        (exactly one probe; others rejected; a cancelled probe frees the slot)
/// ```
///
/// A pure value type: `admit()` and `record(_:wasProbe:)` read `clock.now` and return decisions; they
/// never sleep or do I/O. Share one between tasks through `SharedCircuitBreaker`.
public struct CircuitBreaker<C: Clock>: Sendable where C.Duration == Duration {
    public typealias Configuration = CircuitBreakerConfiguration
    public typealias Admission = BreakerAdmission
    public typealias Transition = BreakerTransition
    public typealias Snapshot = BreakerSnapshot

    /// The full internal state; `BreakerState` is its public summary.
    enum Phase: Sendable, Equatable {
        case closed(failures: Int)
        case open(until: C.Instant, failures: Int)
        /// `probe` is the serial of the probe in flight, `nil` when the slot is free.
        case halfOpen(probe: UInt64?, failures: Int)
        /// Pinned open by an operator until `forceClose()` or `reset()`.
        case forcedOpen(failures: Int)
        /// Pinned closed by an operator until `reset()`: failures are counted but never open it.
        case forcedClosed(failures: Int)
    }

    public let configuration: Configuration
    public let clock: C
    var phase: Phase = .closed(failures: 0)
    /// Serial of the most recent probe, so a late report from an older probe cannot decide for a newer one.
    private(set) var probeSerial: UInt64 = 0

    public init(configuration: Configuration = .init(), clock: C) {
        self.configuration = configuration
        self.clock = clock
    }

    // MARK: Admission

    /// Decides whether one request may try the backend now.
    ///
    /// The only transition this can cause is open → half-open (when the cooldown has ended and this
    /// request becomes the probe); it is passed to `onTransition` before returning.
    public mutating func admit(onTransition: (Transition) -> Void = { _ in }) -> Admission {
        admitProbe(onTransition: onTransition).admission
    }

    /// `admit()`, also returning the serial of the probe it handed out (if any).
    mutating func admitProbe(onTransition: (Transition) -> Void) -> (admission: Admission, probe: UInt64?) {
        switch phase {
        case .closed, .forcedClosed:
            return (.allow, nil)
        case .forcedOpen:
            // No timer runs while pinned; the cooldown length is the most honest hint we have.
            return (.reject(retryAfter: configuration.openFor), nil)
        case .open(let until, let failures):
            let now = clock.now
            if now < until { return (.reject(retryAfter: now.duration(to: until)), nil) }
            let serial = nextProbeSerial()
            phase = .halfOpen(probe: serial, failures: failures)
            onTransition(Transition(from: .open, to: .halfOpen, reason: .cooldownElapsed))
            return (.probe, serial)
        case .halfOpen(let probe, let failures):
            if probe != nil { return (.reject(retryAfter: .zero), nil) }
            let serial = nextProbeSerial()
            phase = .halfOpen(probe: serial, failures: failures)
            return (.probe, serial)
        }
    }

    private mutating func nextProbeSerial() -> UInt64 {
        probeSerial &+= 1
        return probeSerial
    }

    // MARK: Outcomes

    /// Feeds the outcome of one admitted attempt back. Returns the transition it caused, if any.
    ///
    /// - `wasProbe: false` (admitted with `.allow`): while closed, a counted failure adds to the
    ///   streak and the threshold opens the breaker; a response clears the streak; anything else is
    ///   neutral. While open or half-open such outcomes are stale (the request was admitted before the
    ///   breaker opened) and are ignored: only the probe decides.
    /// - `wasProbe: true` (admitted with `.probe`): a response closes, a counted failure re-opens for
    ///   another `openFor`, and a neutral outcome (cancelled, timed out after connecting, reset after
    ///   the request left) frees the probe slot so the next request becomes the probe.
    @discardableResult
    public mutating func record(_ outcome: Outcome, wasProbe: Bool = false) -> Transition? {
        if wasProbe {
            guard case .halfOpen(let probe?, _) = phase else { return nil }
            return record(outcome, probe: probe)
        }
        return record(outcome, probe: nil)
    }

    /// `record(_:wasProbe:)` for a specific probe serial (`nil` for a non-probe attempt).
    mutating func record(_ outcome: Outcome, probe serial: UInt64?) -> Transition? {
        let verdict = configuration.verdict(for: outcome)
        if let serial {
            guard case .halfOpen(serial, let failures) = phase else { return nil }  // a stale probe
            switch verdict {
            case .success:
                phase = .closed(failures: 0)
                return Transition(from: .halfOpen, to: .closed, reason: .probeSucceeded)
            case .failure:
                phase = .open(until: clock.now.advanced(by: configuration.openFor), failures: failures + 1)
                return Transition(from: .halfOpen, to: .open, reason: .probeFailed)
            case .neutral:
                phase = .halfOpen(probe: nil, failures: failures)
                return nil
            }
        }
        switch (phase, verdict) {
        case (_, .neutral), (.open, _), (.halfOpen, _), (.forcedOpen, _):
            return nil
        case (.closed, .success):
            phase = .closed(failures: 0)
        case (.forcedClosed, .success):
            phase = .forcedClosed(failures: 0)
        case (.forcedClosed(let failures), .failure):
            phase = .forcedClosed(failures: failures + 1)
        case (.closed(let failures), .failure):
            let streak = failures + 1
            guard streak >= configuration.failureThreshold else {
                phase = .closed(failures: streak)
                return nil
            }
            phase = .open(until: clock.now.advanced(by: configuration.openFor), failures: streak)
            return Transition(from: .closed, to: .open, reason: .failureThreshold)
        }
        return nil
    }

    /// Frees the probe slot without counting anything: the probe's client went away. The next
    /// request to arrive becomes the probe. Does nothing unless a probe is in flight.
    public mutating func cancelProbe() {
        guard case .halfOpen(let probe?, _) = phase else { return }
        cancelProbe(serial: probe)
    }

    /// `cancelProbe()` for a specific probe serial; a stale serial changes nothing.
    mutating func cancelProbe(serial: UInt64) {
        guard case .halfOpen(serial, let failures) = phase else { return }
        phase = .halfOpen(probe: nil, failures: failures)
    }

    // MARK: Observation

    /// The breaker as of `clock.now`.
    public var snapshot: Snapshot {
        switch phase {
        case .closed(let failures):
            return Snapshot(state: .closed, consecutiveFailures: failures, timeUntilHalfOpen: nil)
        case .forcedClosed(let failures):
            return Snapshot(state: .closed, consecutiveFailures: failures, timeUntilHalfOpen: nil, isForced: true)
        case .forcedOpen(let failures):
            return Snapshot(state: .open, consecutiveFailures: failures, timeUntilHalfOpen: nil, isForced: true)
        case .halfOpen(let probe, let failures):
            return Snapshot(state: .halfOpen, consecutiveFailures: failures, timeUntilHalfOpen: nil, probeInFlight: probe != nil)
        case .open(let until, let failures):
            let left = clock.now.duration(to: until)
            if left <= .zero {
                return Snapshot(state: .halfOpen, consecutiveFailures: failures, timeUntilHalfOpen: nil)
            }
            return Snapshot(state: .open, consecutiveFailures: failures, timeUntilHalfOpen: left)
        }
    }

    /// The public state as of now; shorthand for `snapshot.state`.
    public var state: BreakerState { snapshot.state }
}
