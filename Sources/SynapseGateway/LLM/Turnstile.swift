import Synchronization

/// One holder at a time, the others served in arrival order; a waiter that is cancelled leaves
/// the line. Used for model switches: one per router at a time, in the order chats asked.
final class Turnstile: Sendable {
    private struct Waiter {
        var ticket: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var holder: UInt64?
        var line: [Waiter] = []
        var nextTicket: UInt64 = 0
        /// Tickets cancelled before their waiter was in line.
        var cancelled: Set<UInt64> = []
    }

    private let state = Mutex(State())

    /// Whether nobody holds the turn and nobody waits for it.
    var isIdle: Bool { state.withLock { $0.holder == nil && $0.line.isEmpty } }

    /// A place in line; pass it to `enter(_:)`.
    func ticket() -> UInt64 {
        state.withLock { state in
            defer { state.nextTicket += 1 }
            return state.nextTicket
        }
    }

    /// Returns once `ticket` holds the turn; throws `CancellationError` when the task is
    /// cancelled first (the ticket then leaves the line).
    func enter(_ ticket: UInt64) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let admitted: Bool? = state.withLock { state in
                    if state.cancelled.remove(ticket) != nil { return false }
                    if state.holder == nil, state.line.isEmpty {
                        state.holder = ticket
                        return true
                    }
                    state.line.append(Waiter(ticket: ticket, continuation: continuation))
                    return nil
                }
                switch admitted {
                case true?: continuation.resume()
                case false?: continuation.resume(throwing: CancellationError())
                case nil: break
                }
            }
        } onCancel: {
            let waiter: Waiter? = state.withLock { state in
                if let index = state.line.firstIndex(where: { $0.ticket == ticket }) { return state.line.remove(at: index) }
                if state.holder != ticket { state.cancelled.insert(ticket) }
                return nil
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Gives up `ticket`'s place: passes the turn on if it holds it, leaves the line otherwise.
    func leave(_ ticket: UInt64) {
        let next: Waiter? = state.withLock { state in
            if let index = state.line.firstIndex(where: { $0.ticket == ticket }) {
                let waiter = state.line.remove(at: index)
                waiter.continuation.resume(throwing: CancellationError())
                return nil
            }
            guard state.holder == ticket else { return nil }
            guard !state.line.isEmpty else {
                state.holder = nil
                return nil
            }
            let next = state.line.removeFirst()
            state.holder = next.ticket
            return next
        }
        next?.continuation.resume()
    }
}
