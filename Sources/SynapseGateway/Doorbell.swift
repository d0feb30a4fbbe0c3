import Synchronization

/// Wakes a background writer (the recorder's, the span exporter's) when work is queued.
///
/// Not an `AsyncStream`: waiting here ignores task cancellation on purpose. The writer must
/// keep running while the gateway shuts down (a cancelled gateway still closes its HAR file and
/// sends its last spans), and it ends only when `finish()` is called.
final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var finished = false
        var waiter: CheckedContinuation<Bool, Never>?
    }

    private let state = Mutex(State())

    func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.rung = true
            return nil
        }
        waiter?.resume(returning: true)
    }

    /// After this, `wait()` returns false once no ring is pending.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: false)
    }

    /// Waits for a ring; false when finished.
    func wait() async -> Bool {
        await withCheckedContinuation { continuation in
            let answer = state.withLock { state -> Bool? in
                if state.rung {
                    state.rung = false
                    return true
                }
                if state.finished { return false }
                state.waiter = continuation
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }
}
