import Hummingbird

/// Makes the model loads a mock starts end with the child process crashing (exit code 1). Bound
/// to `MockEvent.modelLoad`: the injector leaves requests alone, and a model-serving mock (the
/// llama router) asks `EventFaults` when it starts a load. The load request itself still succeeds,
/// as it does on the real router, whose load fails later, in the background.
struct LoadFailureFault: Fault {
    var event: MockEvent? { .modelLoad }

    /// Never called by the injector for an event fault; passes the request through.
    func apply(to request: Request, context: FaultContext, next: (Request) async throws -> Response) async throws -> Response {
        try await next(request)
    }
}
