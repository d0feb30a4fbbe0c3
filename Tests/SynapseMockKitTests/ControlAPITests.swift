import Foundation
import Hummingbird
import NIOHTTP1
import SynapseCore
import SynapseMockKit
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Serves the control API for `mocks` on a free port during `body`.
func withControlAPI<T: Sendable>(_ mocks: [MockHandle], _ body: (String) async throws -> T) async throws -> T {
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let application = ControlAPI(mocks: mocks).application(onListening: { continuation.yield($0) })
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await application.run() }
        defer { group.cancelAll() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        return try await body("http://127.0.0.1:\(port)")
    }
}

@Suite struct ControlAPITests {
    func json(_ reply: HTTP.Reply) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any])
    }

    @Test func listsEachMockWithItsURL() async throws {
        try await withMockServer(TestMock()) { mock in
            try await withControlAPI([mock]) { control in
                let reply = try await HTTP.send(control + "/mocks")
                #expect(reply.status == 200)
                let mocks = try #require(try json(reply)["mocks"] as? [[String: Any]])
                #expect(mocks.count == 1)
                #expect(mocks.first?["name"] as? String == "test-mock")
                #expect(mocks.first?["url"] as? String == mock.baseURL)
            }
        }
    }

    @Test func postedFaultsGetAnIdAndCanBeRemovedById() async throws {
        try await withMockServer(TestMock()) { mock in
            try await withControlAPI([mock]) { control in
                let faults = control + "/mocks/test-mock/faults"
                let body = Array(#"{"kind": "status", "status": 500, "times": 3, "route": "/health"}"#.utf8)
                let created = try await HTTP.send(faults, method: .POST, body: body)
                #expect(created.status == 201)
                let id = try #require(try json(created)["id"] as? String)
                #expect(try json(created)["times"] as? Int == 3)

                let listed = try await HTTP.send(faults)
                #expect((try json(listed)["faults"] as? [[String: Any]])?.first?["id"] as? String == id)
                #expect(try await HTTP.send(mock.url("/health")).status == 500)

                #expect(try await HTTP.send(faults + "/" + id, method: .DELETE).status == 204)
                #expect(try await HTTP.send(mock.url("/health")).status == 200)
                #expect(try await HTTP.send(faults + "/" + id, method: .DELETE).status == 404)
            }
        }
    }

    @Test(arguments: [
        (#"{"kind": "explode"}"#, "unknown fault kind \"explode\""),
        (#"{"kind": "status"}"#, "missing field \"status\""),
        (#"{"kind": "status", "status": 500, "probability": 2}"#, "probability must be between 0 and 1"),
        (#"{"kind": "truncate"}"#, "exactly one of after_bytes or after_events"),
        ("not json", "invalid fault"),
    ])
    func badFaultJSONIsA400WithAClearMessage(body: String, message: String) async throws {
        try await withMockServer(TestMock()) { mock in
            try await withControlAPI([mock]) { control in
                let reply = try await HTTP.send(control + "/mocks/test-mock/faults", method: .POST, body: Array(body.utf8))
                #expect(reply.status == 400)
                let error = try #require(try json(reply)["error"] as? [String: Any])
                #expect(error["code"] as? String == "invalid_fault")
                #expect((error["message"] as? String)?.contains(message) == true, "\(error)")
                #expect(mock.faults.isEmpty)
            }
        }
    }

    @Test func anUnknownMockIsA404() async throws {
        try await withMockServer(TestMock()) { mock in
            try await withControlAPI([mock]) { control in
                let reply = try await HTTP.send(control + "/mocks/nope/faults")
                #expect(reply.status == 404)
                #expect((try json(reply)["error"] as? [String: Any])?["code"] as? String == "unknown_mock")
            }
        }
    }

    @Test func answersWhileTheMockRefusesConnections() async throws {
        try await withMockServer(TestMock()) { mock in
            try await withControlAPI([mock]) { (control: String) async throws in
                let refuse = Array(#"{"kind": "refuse"}"#.utf8)
                #expect(try await HTTP.send(control + "/mocks/test-mock/faults", method: .POST, body: refuse).status == 201)
                #expect(await RawConnection.connectErrno(port: mock.port) == ECONNREFUSED)
                #expect(try await HTTP.send(control + "/mocks").status == 200)
                #expect(try await HTTP.send(control + "/mocks/test-mock/faults", method: .DELETE).status == 204)
                #expect(try await HTTP.send(mock.url("/health")).status == 200)
            }
        }
    }

    @Test func journalCanBeReadAndCleared() async throws {
        try await withMockServer(TestMock()) { mock in
            try await withControlAPI([mock]) { control in
                _ = try await HTTP.send(mock.url("/health?verbose=1"))
                _ = try await mock.journal.entry(1)
                let journal = control + "/mocks/test-mock/journal"
                let entries = try #require(try json(try await HTTP.send(journal))["entries"] as? [[String: Any]])
                #expect(entries.count == 1)
                #expect(entries.first?["path"] as? String == "/health")
                #expect(entries.first?["query"] as? String == "verbose=1")
                #expect(try await HTTP.send(journal, method: .DELETE).status == 204)
                #expect((try json(try await HTTP.send(journal))["entries"] as? [Any])?.isEmpty == true)
            }
        }
    }

    @Test func resetClearsFaultsAndJournal() async throws {
        try await withMockServer(TestMock()) { mock in
            try await withControlAPI([mock]) { control in
                try await mock.inject(.status(code: 500))
                _ = try await HTTP.send(mock.url("/health"))
                _ = try await mock.journal.entry(1)
                #expect(try await HTTP.send(control + "/mocks/test-mock/reset", method: .POST).status == 204)
                #expect(mock.faults.isEmpty)
                #expect(mock.journal.count == 0)
            }
        }
    }
}
