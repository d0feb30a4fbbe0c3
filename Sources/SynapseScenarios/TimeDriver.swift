import SynapseClock

/// Moves a scenario's time: on a `VirtualClock` it jumps from sleeper to sleeper while the system
/// under test waits on nothing but the clock; on the real clock it sleeps.
///
/// The clock may move only when no task is about to start a sleep. Two signals say so, and both
/// must hold (a quiet period alone misfires on a loaded machine, where one real I/O step of the
/// gateway or a mock can take longer than any fixed quiet time):
///
/// | signal | meaning |
/// | --- | --- |
/// | quiet: no sleep started or ended for `quietPeriod` of real time | nothing is on its way to the clock right now |
/// | accounted: sleepers ≥ runner requests in flight | every request is parked on the clock, none is moving bytes |
///
/// A request through the gateway sleeps at most once at a time — the gateway's retry backoff, or
/// a mock's latency, pacing, processing time or `hang` while the gateway waits on it — so "as
/// many sleepers as requests in flight" means every request is waiting for time to pass.
///
/// Deadlines are virtual too, but they are *deadline timers*, not sleepers (`VirtualClock`): the
/// gateway's total deadline and stream idle timeout, and the runner's own client timeout, race
/// work rather than being it. The clock jumps to a timer only when every request is accounted
/// for by work sleepers — a hung backend sleeping on the clock, say — so a request whose bytes are
/// still moving on real I/O is never timed out by a jump:
///
/// | every request parked on a work sleep? | the clock may move to |
/// | --- | --- |
/// | yes | the next action, work sleep or deadline timer, whichever is first |
/// | no, but nothing changed for `stallLimit` | the next action or work sleep — never a timer |
/// | no | nowhere yet |
///
/// The stall rule is for work the driver cannot see staying blocked (two requests sharing one
/// upload): such work is moved on by its sleepers, never cut by a deadline it has not reached.
///
/// Right after a timer fired, the work it raced still holds its sleepers until the cancellation
/// reaches them (through the gateway, a socket, the mock), so until something else happens on
/// the clock or in the runner's traffic those sleepers do not count: otherwise a jump could land
/// on the cut work's next sleep before it is gone.
///
/// `during:` actions are performed by the driver itself, between two moves of the clock: the
/// clock cannot move on while a fault is being cleared, and an action due at the same instant as
/// a sleeper goes first.
struct TimeDriver: Sendable {
    /// A control action due at an instant of the scenario clock.
    typealias TimedAction = (at: Duration, action: Step.Action)

    let time: ScenarioTarget.Time
    /// Real time with no clock activity after which the system counts as quiet. Default 15 ms.
    let quietPeriod: Duration
    /// Real time without any progress after which the clock moves although not every request is
    /// accounted for by a sleeper. Default 2 s.
    let stallLimit: Duration
    /// The runner's own requests in flight (the step sending them keeps it up to date).
    let traffic = RunnerTraffic()

    init(time: ScenarioTarget.Time, quietPeriod: Duration = .milliseconds(15), stallLimit: Duration = .seconds(2)) {
        self.time = time
        self.quietPeriod = quietPeriod
        self.stallLimit = stallLimit
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
    /// done): performs the `during` actions at their instants (counted from `start`) and moves the
    /// virtual clock to the next deadline whenever every request waits on it.
    func drive(start: Duration, during: [TimedAction], perform: @Sendable (Step.Action) async -> Void) async {
        // Stable: actions due at the same instant keep their written order.
        var pending = during.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        guard case .virtual(let clock) = time else {
            for item in pending {
                let wait = start + item.at - ScenarioTarget.realNow()
                if wait > .zero { do { try await Task.sleep(for: wait) } catch { return } }
                await perform(item.action)
            }
            return
        }
        var blockedSince: ContinuousClock.Instant?
        var lastProgress = (clock.activity, traffic.changes)
        var trafficWhenMoved = traffic.changes
        while !Task.isCancelled {
            do { try await settle(clock) } catch { return }
            let actionDue = pending.first.map { VirtualClock.Instant(offset: start + $0.at) }
            let aftermathPending = clock.isAfterATimerFired && traffic.changes == trafficWhenMoved
            let accounted = everyRequestWaitsOnTheClock(clock) && !aftermathPending
            // Deadline timers only when every request is parked on a work sleep (see above).
            let sleeperDue = accounted ? clock.nextDeadline : clock.nextWorkDeadline
            guard let next = [actionDue, sleeperDue].compactMap({ $0 }).min() else { continue }
            let progress = (clock.activity, traffic.changes)
            if progress != lastProgress { (lastProgress, blockedSince) = (progress, nil) }
            if !accounted {
                let since = blockedSince ?? ContinuousClock.now
                blockedSince = since
                guard ContinuousClock.now - since >= stallLimit else { continue }
            }
            blockedSince = nil
            if let actionDue, actionDue <= next {
                // A sleeper due at the same instant wakes after the action, on the next turn.
                if sleeperDue.map({ actionDue < $0 }) ?? true { clock.advance(to: actionDue) }
                await perform(pending.removeFirst().action)
            } else {
                clock.advance(to: next)
            }
            trafficWhenMoved = traffic.changes
        }
    }

    /// Whether each runner request in flight is matched by a task asleep on the clock.
    func everyRequestWaitsOnTheClock(_ clock: VirtualClock) -> Bool {
        clock.sleeperCount >= traffic.inFlight
    }

    /// After a step: lets what the step started reach its sleeps before anything is checked.
    func quiesce() async throws {
        if case .virtual(let clock) = time { try await settle(clock) }
    }
}
