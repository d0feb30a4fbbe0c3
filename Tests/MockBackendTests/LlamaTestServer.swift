import Foundation
import MockLlama
import SynapseMockKit
import Synchronization

/// Serves one llama mock in-process on port 0 (MockKit's `withMockServer`) for the duration of
/// `body`; it is shut down afterwards even when `body` throws.
func withLlamaServer<Result: Sendable>(
    _ mock: some MockServer,
    time: MockTime = .system,
    _ body: (_ baseURL: String) async throws -> Result
) async throws -> Result {
    try await withMockServer(mock, time: time) { handle in try await body(handle.baseURL) }
}

/// A mock clock for tests: `now` moves only when told. `sleep` either advances the clock at once
/// (virtual time) or, when gated, waits until the test opens the gate for that sleep.
final class LlamaTestClock: Sendable {
    private struct State {
        var now = Date(timeIntervalSince1970: 1_795_734_717)
        var gated = false
        var sleepers: [CheckedContinuation<Void, Never>] = []
        var arrivals: AsyncStream<Int>.Continuation?
        var sleepCount = 0
    }

    private let state = Mutex(State())
    /// The number of sleeps started so far, one element per sleep (for waiting on events).
    let sleeps: AsyncStream<Int>

    init(gated: Bool = false) {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        sleeps = stream
        state.withLock {
            $0.gated = gated
            $0.arrivals = continuation
        }
    }

    func advance(by duration: Duration) {
        state.withLock { $0.now = $0.now.addingTimeInterval(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18) }
    }

    /// Lets the oldest waiting sleep return.
    func releaseOne() {
        let sleeper = state.withLock { $0.sleepers.isEmpty ? nil : $0.sleepers.removeFirst() }
        sleeper?.resume()
    }

    var mockTime: MockTime {
        MockTime(
            sleep: { [self] duration in
                let gated = state.withLock { s -> Bool in
                    s.sleepCount += 1
                    s.arrivals?.yield(s.sleepCount)
                    return s.gated
                }
                if gated {
                    await withCheckedContinuation { continuation in state.withLock { $0.sleepers.append(continuation) } }
                } else {
                    advance(by: duration)
                }
            },
            now: { [self] in state.withLock { $0.now } }
        )
    }
}
