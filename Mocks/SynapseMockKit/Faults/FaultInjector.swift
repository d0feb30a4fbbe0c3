import HTTPTypes
import Hummingbird
import SynapseCore

/// Middleware that picks the fault for a request and applies it.
///
/// The fault comes from the `X-Mock-Fault` header (a one-off, compact form, see
/// `FaultSpec.init(compact:)`) or else from the first rule in the `FaultTable` whose schedule
/// admits the request. The injector knows faults only through `Fault` and its capabilities; a
/// fault bound to a `MockEvent` is left to the mock (see `EventFaults`).
struct FaultInjector: RouterMiddleware {
    typealias Context = MockRequestContext

    /// The per-request fault header.
    static let headerName = HTTPField.Name("X-Mock-Fault")!

    let mock: any MockServer
    let faults: FaultTable
    let time: MockTime

    /// The fault chosen for one request.
    enum Selection: Sendable {
        /// Apply this fault, with randomness derived from its rule.
        case fault(FaultSpec, SplitMix64)
        /// The `X-Mock-Fault` header could not be parsed.
        case invalidHeader(String)
    }

    /// Chooses the fault for a request (header first, then the rules); nil when none applies.
    /// Charges the chosen rule's schedule, so call it once per request.
    func select(for request: Request) -> Selection? {
        if let header = request.headers[Self.headerName] {
            do {
                return .fault(try FaultSpec(compact: header), SplitMix64(seed: 0))
            } catch {
                return .invalidHeader(MockError.invalidFault(from: error).message)
            }
        }
        return faults.select(method: request.method.rawValue, path: request.uri.path).map { .fault($0.rule.spec, $0.random) }
    }

    /// Applies a selection made by `select(for:)`.
    func apply(
        _ selection: Selection?, to request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        switch selection {
        case nil:
            return try await next(request, context)
        case .invalidHeader(let reason):
            return mock.errorResponse(status: .badRequest, message: "X-Mock-Fault: \(reason)")
        case .fault(let spec, let random):
            let fault = spec.fault
            if let event = fault.event {
                // Only a header can select an event fault here: it arms the event for this request.
                var context = context
                context.eventFaults.armed.insert(event)
                return try await next(request, context)
            }
            if fault.capabilities.contains(.readsRequestFirst) {
                // Read (and so journal) the whole upload, as a server that fails late would.
                for try await _ in request.body {}
            }
            let faultContext = FaultContext(mock: mock, time: time, channel: context.channel, random: random)
            return try await fault.apply(to: request, context: faultContext) { try await next($0, context) }
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await apply(select(for: request), to: request, context: context, next: next)
    }
}

extension MockError {
    /// An `invalidFault` error with a readable reason taken from a decoding error.
    public static func invalidFault(from error: any Error) -> MockError {
        guard let decoding = error as? DecodingError else { return .invalidFault("\(error)") }
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath.map(\.stringValue) + (key.map { [$0.stringValue] } ?? [])
            return keys.isEmpty ? "" : "\"\(keys.joined(separator: "."))\": "
        }
        switch decoding {
        case .keyNotFound(let key, let context):
            return .invalidFault("missing field \"\(key.stringValue)\"" + (context.codingPath.isEmpty ? "" : " in \(path(context))"))
        case .typeMismatch(let type, let context):
            return .invalidFault("\(path(context))expected \(type)")
        case .valueNotFound(let type, let context):
            return .invalidFault("\(path(context))expected \(type), found null")
        case .dataCorrupted(let context):
            return .invalidFault("\(path(context))\(context.debugDescription)")
        @unknown default:
            return .invalidFault("\(error)")
        }
    }
}

extension FaultInjector.Selection {
    /// How the journal names the selection: the fault's compact form.
    var journalDescription: String? {
        switch self {
        case .fault(let spec, _): spec.description
        case .invalidHeader: nil
        }
    }
}
