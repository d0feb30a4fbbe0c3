import Synchronization

/// What the runner itself has in progress on real I/O while a request step runs: requests sent
/// to the gateway whose response is not complete yet. The `TimeDriver` reads it to tell "every
/// request is blocked on the virtual clock" from "some request is still moving bytes".
final class RunnerTraffic: Sendable {
    private struct State {
        var inFlight = 0
        /// Bumped whenever a request starts or ends.
        var changes: UInt64 = 0
    }

    private let state = Mutex(State())

    init() {}

    /// Requests sent and not yet answered in full.
    var inFlight: Int { state.withLock { $0.inFlight } }

    /// A counter that changes whenever a request starts or ends.
    var changes: UInt64 { state.withLock { $0.changes } }

    /// Called by the step before it hands a request to a child task, so the driver never sees a
    /// request that is about to leave as "nothing in flight".
    func begin() {
        state.withLock { state in
            state.inFlight += 1
            state.changes &+= 1
        }
    }

    /// Called when a request's response has been read to its end (or failed).
    func end() {
        state.withLock { state in
            state.inFlight -= 1
            state.changes &+= 1
        }
    }
}
