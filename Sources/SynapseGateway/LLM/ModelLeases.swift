import Synchronization

/// The chats in flight on each model, so a switch never unloads a model under a chat that is
/// still being answered: it waits until the models it evicts are idle.
final class ModelLeases: Sendable {
    private struct Waiter {
        var id: UInt64
        var models: Set<String>
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var active: [String: Int] = [:]
        var waiters: [Waiter] = []
        var nextWaiter: UInt64 = 0
        var cancelled: Set<UInt64> = []
    }

    private let state = Mutex(State())

    /// Takes a lease on `model` when `condition` holds (checked under the same lock).
    func acquire(_ model: String, when condition: () -> Bool = { true }) -> ModelLease? {
        let taken = state.withLock { state -> Bool in
            guard condition() else { return false }
            state.active[model, default: 0] += 1
            return true
        }
        return taken ? ModelLease(model: model, leases: self) : nil
    }

    /// Chats in flight on `model`.
    func count(_ model: String) -> Int {
        state.withLock { $0.active[model] ?? 0 }
    }

    /// Returns once no chat holds a lease on any of `models`; throws `CancellationError` when
    /// the task is cancelled first.
    func waitUntilIdle(_ models: Set<String>) async throws {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Bool? = state.withLock { state in
                    if state.cancelled.remove(id) != nil { return false }
                    if models.allSatisfy({ (state.active[$0] ?? 0) == 0 }) { return true }
                    state.waiters.append(Waiter(id: id, models: models, continuation: continuation))
                    return nil
                }
                switch outcome {
                case true?: continuation.resume()
                case false?: continuation.resume(throwing: CancellationError())
                case nil: break
                }
            }
        } onCancel: {
            let waiter: Waiter? = state.withLock { state in
                if let index = state.waiters.firstIndex(where: { $0.id == id }) { return state.waiters.remove(at: index) }
                state.cancelled.insert(id)
                return nil
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    fileprivate func release(_ model: String) {
        let ready: [Waiter] = state.withLock { state in
            let left = (state.active[model] ?? 1) - 1
            state.active[model] = left > 0 ? left : nil
            let idle = state.waiters.filter { $0.models.allSatisfy { (state.active[$0] ?? 0) == 0 } }
            state.waiters.removeAll { waiter in idle.contains { $0.id == waiter.id } }
            return idle
        }
        for waiter in ready { waiter.continuation.resume() }
    }
}

/// A chat's hold on its model, from the moment the model is known loaded until its answer has
/// been sent. Released once: by `release()`, or when the last reference goes away.
final class ModelLease: Sendable {
    let model: String
    private let leases: ModelLeases
    private let released = Atomic<Bool>(false)

    fileprivate init(model: String, leases: ModelLeases) {
        self.model = model
        self.leases = leases
    }

    func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        leases.release(model)
    }

    deinit { release() }
}
