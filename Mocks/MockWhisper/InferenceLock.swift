/// The service's one global asyncio lock: model loading and every inference run one at a time,
/// and concurrent requests queue in arrival order.
actor InferenceLock {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Runs `work` holding the lock. A caller cancelled while queued still gets its turn and passes
    /// it on, so the queue never stalls.
    func run<T: Sendable>(_ work: @Sendable () async throws -> T) async rethrows -> T {
        await acquire()
        defer { release() }
        return try await work()
    }

    /// Waits for the lock; pair with `release()` (prefer `run` where the work is a closure).
    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()  // ownership passes straight to the next in line
        }
    }
}
