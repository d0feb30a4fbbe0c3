import Foundation
import Hummingbird
import MockLlama
import SynapseMockKit
import Synchronization

/// Serves one llama mock in-process on 127.0.0.1, port 0, for the duration of `body`, and shuts it
/// down afterwards even when `body` throws. (A stand-in until MockKit's `withMockServer` lands:
/// it adds the mock's `Server` header the way the host will.)
func withLlamaServer<Result: Sendable>(
    _ mock: some MockServer,
    _ body: @Sendable (_ baseURL: String) async throws -> Result
) async throws -> Result {
    let router = Router(context: MockRequestContext.self)
    router.add(middleware: ServerHeaderMiddleware(value: mock.serverHeader))
    mock.addRoutes(to: router)
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            portContinuation.yield(channel.localAddress?.port ?? 0)
            portContinuation.finish()
        }
    )
    return try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask {
            try await app.runService(gracefulShutdownSignals: [])
            return nil
        }
        // Whatever happens in `body`, the server task is cancelled before we return.
        defer { group.cancelAll() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return try await body("http://127.0.0.1:\(port)")
    }
}

/// Sets the backend's `Server` header on every response.
struct ServerHeaderMiddleware<Context: RequestContext>: RouterMiddleware {
    let value: String?
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if let value { response.headers[.server] = value }
        return response
    }
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
