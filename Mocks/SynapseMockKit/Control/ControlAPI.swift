import Foundation
import Hummingbird
import Logging
import NIOCore
import SynapseCore

/// The HTTP control plane for a set of running mocks, served on its own port so that it keeps
/// answering while a mock refuses connections.
///
/// | method | path                          | does                                               |
/// | ------ | ----------------------------- | -------------------------------------------------- |
/// | GET    | `/mocks`                      | each mock's name, URL, type and health path        |
/// | GET    | `/mocks/{name}/faults`        | active rules                                       |
/// | POST   | `/mocks/{name}/faults`        | adds one rule (FaultRule JSON); 201 with its `id`  |
/// | DELETE | `/mocks/{name}/faults`        | clears all rules (204)                             |
/// | DELETE | `/mocks/{name}/faults/{id}`   | removes one rule (204)                             |
/// | GET    | `/mocks/{name}/journal`       | received requests                                  |
/// | DELETE | `/mocks/{name}/journal`       | forgets them (204)                                 |
/// | POST   | `/mocks/{name}/reset`         | clears faults and journal, resets the mock (204)   |
///
/// Errors are `{"error": {"message": …, "code": …}}`: 404 `unknown_mock` / `unknown_fault`,
/// 400 `invalid_fault`.
public struct ControlAPI: Sendable {
    /// The mocks, by name.
    public let mocks: [String: MockHandle]
    private let order: [String]

    public init(mocks: [MockHandle]) {
        self.mocks = Dictionary(mocks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.order = mocks.map(\.name)
    }

    /// A router with the control routes.
    public func buildRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        addRoutes(to: router)
        return router
    }

    /// A Hummingbird application serving the control routes on `host`:`port` (0: a free port,
    /// reported to `onListening`). Run it as a `Service`.
    public func application(
        host: String = "127.0.0.1", port: Int = 0, logger: Logger = Logger(label: "synapse.mocks.control"),
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> Application<RouterResponder<BasicRequestContext>> {
        Application(
            router: buildRouter(),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    /// Adds the control routes to `router`.
    public func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/mocks") { _, _ in
            try Self.json(["mocks": order.compactMap { mocks[$0] }.map(MockSummary.init)])
        }
        router.get("/mocks/:name/faults") { _, context in
            try await Self.answer { try Self.json(["faults": try mock(context).faults]) }
        }
        router.post("/mocks/:name/faults") { request, context in
            try await Self.answer {
                let mock = try mock(context)
                let body = try await request.body.collect(upTo: 1024 * 1024)
                let rule: FaultRule
                do {
                    rule = try JSONDecoder().decode(FaultRule.self, from: Data(body.readableBytesView))
                } catch {
                    throw MockError.invalidFault(from: error)
                }
                return try Self.json(try await mock.inject(rule), status: .created)
            }
        }
        router.delete("/mocks/:name/faults") { _, context in
            try await Self.answer {
                try await mock(context).clearFaults()
                return Response(status: .noContent)
            }
        }
        router.delete("/mocks/:name/faults/:id") { _, context in
            try await Self.answer {
                try await mock(context).removeFault(id: try context.parameters.require("id"))
                return Response(status: .noContent)
            }
        }
        router.get("/mocks/:name/journal") { _, context in
            try await Self.answer { try Self.json(["entries": try mock(context).journal.entries]) }
        }
        router.delete("/mocks/:name/journal") { _, context in
            try await Self.answer {
                try mock(context).journal.clear()
                return Response(status: .noContent)
            }
        }
        router.post("/mocks/:name/reset") { _, context in
            try await Self.answer {
                try await mock(context).reset()
                return Response(status: .noContent)
            }
        }
    }

    private func mock(_ context: BasicRequestContext) throws -> MockHandle {
        let name = try context.parameters.require("name")
        guard let mock = mocks[name] else { throw MockError.unknownMock(name) }
        return mock
    }

    // MARK: - Responses

    /// A mock as listed by `GET /mocks`.
    struct MockSummary: Encodable {
        let name: String
        let url: String
        let type: String
        let health: String

        init(_ handle: MockHandle) {
            self.name = handle.name
            self.url = handle.baseURL
            self.type = handle.host.mock.backendType
            self.health = handle.host.mock.healthPath
        }
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Runs `body`, mapping `MockError` to its JSON error response.
    static func answer(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as MockError {
            let status: HTTPResponse.Status =
                switch error {
                case .unknownMock, .unknownFault: .notFound
                case .invalidFault: .badRequest
                case .notRunning: .serviceUnavailable
                }
            return try json(["error": ["message": error.message, "code": error.code]], status: status)
        }
    }
}
