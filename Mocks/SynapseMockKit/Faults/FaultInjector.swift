import HTTPTypes
import Hummingbird
import SynapseCore

/// Middleware that picks the fault for a request and applies it.
///
/// The fault comes from the `X-Mock-Fault` header (a one-off, compact form, see
/// `FaultSpec.init(compact:)`) or else from the first rule in the `FaultTable` whose schedule
/// admits the request. The injector knows faults only through `Fault` and its capabilities.
struct FaultInjector: RouterMiddleware {
    typealias Context = MockRequestContext

    /// The per-request fault header.
    static let headerName = HTTPField.Name("X-Mock-Fault")!

    let mock: any MockServer
    let faults: FaultTable
    let journal: RequestJournal
    let time: MockTime

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let spec: FaultSpec
        let random: SplitMix64
        if let header = request.headers[Self.headerName] {
            do {
                spec = try FaultSpec(compact: header)
            } catch {
                let reason = MockError.invalidFault(from: error).message
                return mock.errorResponse(status: .badRequest, message: "X-Mock-Fault: \(reason)")
            }
            random = SplitMix64(seed: 0)
        } else if let hit = faults.select(method: request.method.rawValue, path: request.uri.path) {
            spec = hit.rule.spec
            random = hit.random
        } else {
            return try await next(request, context)
        }
        if let ticket = JournalRecorder.currentTicket { journal.annotate(ticket, fault: spec.description) }

        let fault = spec.fault
        if fault.capabilities.contains(.readsRequestFirst) {
            // Read (and so journal) the whole upload, as a server that fails late would.
            for try await _ in request.body {}
        }
        let faultContext = FaultContext(mock: mock, time: time, channel: context.channel, random: random)
        return try await fault.apply(to: request, context: faultContext) { try await next($0, context) }
    }
}

extension MockError {
    /// An `invalidFault` error with a readable reason taken from a decoding error.
    static func invalidFault(from error: any Error) -> MockError {
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
