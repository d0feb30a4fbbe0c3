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
/// | GET    | `/mocks`                      | each mock's name, URL, type, health path, routes   |
/// | GET    | `/mocks/{name}/faults`        | active rules                                       |
/// | POST   | `/mocks/{name}/faults`        | adds one rule (FaultRule JSON); 201 with its `id`  |
/// | DELETE | `/mocks/{name}/faults`        | clears all rules (204)                             |
/// | DELETE | `/mocks/{name}/faults/{id}`   | removes one rule (204)                             |
/// | GET    | `/mocks/{name}/journal`       | received requests                                  |
/// | DELETE | `/mocks/{name}/journal`       | forgets them (204)                                 |
/// | POST   | `/mocks/{name}/reset`         | clears faults and journal, resets the mock (204)   |
/// | POST   | `/speech`                     | `{text, voice}` → the mock TTS's WAV (404 if none) |
///
/// `routes` are the gateway routes each mock serves in a generated `backends.yaml`, and `/speech`
/// is the mock set's speech synthesizer, outside any mock (no journal entry, no fault): both are
/// for a scenario runner that reaches the mock set over HTTP only.
///
/// Errors are `{"error": {"message": …, "code": …}}`: 404 `unknown_mock` / `unknown_fault`,
/// 400 `invalid_fault`.
public struct ControlAPI: Sendable {
    /// The mocks, by name.
    public let mocks: [String: MockHandle]
    private let order: [String]
    /// Gateway routes by mock name, listed by `GET /mocks`. Default none.
    private let routes: [String: [String]]
    /// Mock speech for `POST /speech`: WAV bytes for (text, voice). Default none (404).
    private let synthesizer: (@Sendable (String, String) -> [UInt8])?

    public init(mocks: [MockHandle], routes: [String: [String]] = [:], synthesizer: (@Sendable (String, String) -> [UInt8])? = nil) {
        self.mocks = Dictionary(mocks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.order = mocks.map(\.name)
        self.routes = routes
        self.synthesizer = synthesizer
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
            try Self.json(["mocks": order.compactMap { mocks[$0] }.map { MockSummary($0, routes: routes[$0.name] ?? []) }])
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
            try await Self.answer { try Self.json(JournalPage(entries: try mock(context).journal.entries)) }
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
        router.post("/speech") { request, _ in
            guard let synthesizer else {
                return try Self.json(["error": ["message": "this mock set has no speech synthesizer", "code": "no_speech"]], status: .notFound)
            }
            let body = try await request.body.collect(upTo: 64 * 1024)
            guard let asked = try? JSONDecoder().decode(SpeechRequest.self, from: Data(body.readableBytesView)) else {
                return try Self.json(["error": ["message": "expected {\"text\": …, \"voice\": …}", "code": "invalid_speech"]], status: .badRequest)
            }
            let wav = synthesizer(asked.text, asked.voice)
            return Response(status: .ok, headers: [.contentType: "audio/wav"], body: .init(byteBuffer: ByteBuffer(bytes: wav)))
        }
    }

    /// The JSON of `GET /mocks/{name}/journal` for `handle`, also for in-process readers that
    /// must see exactly what the HTTP route returns.
    public static func journalJSON(of handle: MockHandle) throws -> Data {
        try encoder.encode(JournalPage(entries: handle.journal.entries))
    }

    struct JournalPage: Encodable {
        let entries: [JournalEntry]
    }

    struct SpeechRequest: Decodable {
        let text: String
        let voice: String
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
        let routes: [String]

        init(_ handle: MockHandle, routes: [String]) {
            self.name = handle.name
            self.url = handle.baseURL
            self.type = handle.host.mock.backendType
            self.health = handle.host.mock.healthPath
            self.routes = routes
        }
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
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
