/// Moves a scenario's time: on a `VirtualClock` it jumps from sleeper to sleeper, waiting for the
/// system to go quiet in between; on the real clock it sleeps.
///
/// "Quiet" means no sleep started or ended on the virtual clock for `quietPeriod` of real time:
/// every task that will sleep has reached its sleep (a retry backoff, a mock's latency), and what
/// is left is blocked on the clock. Only then does time jump to the earliest deadline, so events
/// keep their exact virtual order while a 30 s cooldown or a 0.5/1/2 s backoff costs a few
/// milliseconds of wall time.
struct TimeDriver: Sendable {
    let time: ScenarioTarget.Time
    /// Real time with no clock activity after which the system counts as quiet. Default 15 ms.
    let quietPeriod: Duration

    init(time: ScenarioTarget.Time, quietPeriod: Duration = .milliseconds(15)) {
        self.time = time
        self.quietPeriod = quietPeriod
    }

    /// Lets `duration` pass: on a virtual clock every sleeper due on the way wakes in order.
    func pass(_ duration: Duration) async throws {
        switch time {
        case .real:
            try await Task.sleep(for: duration)
        case .virtual(let clock):
            let target = clock.now.advanced(by: duration)
            try await settle(clock)
            while let next = clock.nextDeadline, next <= target {
                clock.advance(to: next)
                try await settle(clock)
            }
            clock.advance(to: target)
            try await settle(clock)
        }
    }

    /// Sleeps until the scenario clock reads `instant` (time since the target's origin).
    func sleep(until instant: Duration) async throws {
        switch time {
        case .virtual(let clock): try await clock.sleep(until: VirtualClock.Instant(offset: instant))
        case .real: try await Task.sleep(for: instant - ScenarioTarget(gatewayURL: "", controlURL: "", time: time).now())
        }
    }

    /// Waits (in real time) until nothing happens on the clock for `quietPeriod`.
    func settle(_ clock: VirtualClock) async throws {
        var seen = clock.activity
        while true {
            try await Task.sleep(for: quietPeriod)
            let now = clock.activity
            if now == seen { return }
            seen = now
        }
    }

    /// Runs while requests are in flight (as a child task the request step cancels when they are
    /// done): whenever the system is quiet and someone sleeps on the clock, time jumps to the
    /// earliest deadline. Returns at once on the real clock.
    func drive() async {
        guard case .virtual(let clock) = time else { return }
        while !Task.isCancelled {
            do { try await settle(clock) } catch { return }
            if let next = clock.nextDeadline { clock.advance(to: next) }
        }
    }

    /// After a step: lets what the step started reach its sleeps before anything is checked.
    func quiesce() async throws {
        if case .virtual(let clock) = time { try await settle(clock) }
    }
}
