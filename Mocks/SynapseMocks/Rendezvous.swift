import Synchronization

/// A value that becomes available once (or fails once), for any number of waiters.
final class Rendezvous<Value: Sendable>: Sendable {
    private struct State {
        var result: Result<Value, any Error>?
        var waiters: [CheckedContinuation<Value, any Error>] = []
    }

    private let state = Mutex(State())

    /// Publishes the value; later calls are ignored.
    func fulfill(_ value: Value) { complete(.success(value)) }

    /// Publishes a failure; later calls are ignored.
    func fail(_ error: any Error) { complete(.failure(error)) }

    /// Waits for the value.
    func value() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            state.withLock { state in
                if let result = state.result {
                    continuation.resume(with: result)
                } else {
                    state.waiters.append(continuation)
                }
            }
        }
    }

    private func complete(_ result: Result<Value, any Error>) {
        let waiters = state.withLock { state -> [CheckedContinuation<Value, any Error>] in
            guard state.result == nil else { return [] }
            state.result = result
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(with: result) }
    }
}
