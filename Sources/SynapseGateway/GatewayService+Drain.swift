import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// Graceful drain: what the gateway does between SIGTERM and exit.
///
/// ```
/// graceful shutdown ─▶ /readyz 503 at once ─▶ drain window: still accepting and serving,
///   (first signal)                             answers say `Connection: close` (the ingress
///                                              sees 503 and stops routing here)
///                    ─▶ server's own graceful shutdown: listener closed, idle connections
///                       closed, in-flight requests and streams run to their end
///                    ─▶ run() returns (the runner's grace period cancels whatever is left)
/// ```
extension GatewayService {
    /// Runs the HTTP server until this service's graceful shutdown, keeps it serving for
    /// `drainWindow`, then lets it stop accepting and finish what is in flight.
    func serve(_ app: some Service, drainWindow: Duration) async throws {
        // No signals here: only the drain task below decides when the server stops accepting.
        let server = ServiceGroup(configuration: .init(services: [app], logger: logger))
        try await withThrowingTaskGroup(of: Bool.self) { tasks in
            tasks.addTask {
                try await Self.outsideShutdownScope { try await server.run() }
                return true
            }
            tasks.addTask { [self] in
                await self.drain(server, for: drainWindow)
                return false
            }
            // The server ending for any reason (error, cancellation) makes the drain task moot.
            while let serverEnded = try await tasks.next() {
                if serverEnded { tasks.cancelAll() }
            }
        }
    }

    /// Waits for this service's graceful shutdown, then for the drain window, then tells the
    /// server to stop accepting. Returns early, doing nothing more, when cancelled.
    private func drain(_ server: ServiceGroup, for window: Duration) async {
        do { try await gracefulShutdown() } catch { return }
        readiness.store(false, ordering: .releasing)
        logger.notice("draining: /readyz answers 503, still serving", metadata: ["synapse.drain_window": "\(window)"])
        if window > .zero {
            do { try await Task.sleep(for: window) } catch { return }
        }
        logger.notice("drain window over: no longer accepting; in-flight requests run to their end")
        await server.triggerGracefulShutdown()
    }

    /// Runs `body` outside the caller's graceful-shutdown scope.
    ///
    /// ServiceLifecycle hands graceful shutdown down through a task-local: a `ServiceGroup` (and
    /// Hummingbird's server inside it) started in a child task would close its listener the
    /// moment our service is asked to shut down, leaving no drain window. A detached task does
    /// not inherit task-locals. Who cancels it: this function, when its own task is cancelled
    /// (the cancellation handler below), so it never outlives the caller.
    static func outsideShutdownScope(_ body: @escaping @Sendable () async throws -> Void) async throws {
        let task = Task.detached(operation: body)
        try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }
}

// MARK: Closing connections while draining

extension GatewayService {
    /// `base`, whose answers say `Connection: close` once draining has begun.
    func closingWhileDraining<Base: HTTPResponder>(_ base: Base) -> DrainingResponder<Base> {
        DrainingResponder(base: base) { [self] in !self.readiness.load(ordering: .acquiring) }
    }
}

/// Adds `Connection: close` to every answer while the gateway drains, as Envoy does: a client
/// (or an ingress) holding a keep-alive connection opens its next one elsewhere, instead of
/// sending on a connection the gateway is about to close.
struct DrainingResponder<Base: HTTPResponder>: HTTPResponder {
    typealias Context = Base.Context
    let base: Base
    let isDraining: @Sendable () -> Bool

    func respond(to request: Request, context: Context) async throws -> Response {
        var response = try await base.respond(to: request, context: context)
        if isDraining() { response.headers[.connection] = "close" }
        return response
    }
}
