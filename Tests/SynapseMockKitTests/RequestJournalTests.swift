import Foundation
import NIOHTTP1
import SynapseCore
import SynapseMockKit
import Testing

@Suite struct RequestJournalTests {
    static let boundary = "----SynapseTestBoundary"
    static let upload = MultipartWriter(boundary: boundary).body([
        .init(name: "language", value: "en"),
        .init(name: "file", filename: "clip.wav", contentType: "audio/wav", body: Array(String(repeating: "RIFF-data-", count: 1000).utf8)),
    ])

    @Test func recordsMultipartFieldNamesFilenamesSizeAndHash() async throws {
        try await withMockServer(TestMock()) { mock in
            let reply = try await HTTP.send(
                mock.url("/upload"), method: .POST,
                headers: [("Content-Type", "multipart/form-data; boundary=\(Self.boundary)")], body: Self.upload)
            #expect(reply.text == "\(Self.upload.count)")
            let entry = try await mock.journal.entry(1)
            #expect(entry.method == "POST")
            #expect(entry.path == "/upload")
            #expect(entry.formFieldNames == ["language", "file"])
            #expect(entry.filenames == ["clip.wav"])
            #expect(entry.formParts.map(\.size) == [2, 10_000])
            #expect(entry.formParts.last?.contentType == "audio/wav")
            #expect(entry.bodySize == Self.upload.count)
            #expect(entry.bodySHA256 == SHA256.hex(Self.upload))
            #expect(entry.bodyComplete)
            #expect(entry.multipartError == nil)
        }
    }

    @Test func parsesJSONBodiesAndKeepsHeaders() async throws {
        try await withMockServer(TestMock()) { mock in
            let body = Array(#"{"model": "bge", "input": ["a", "b"]}"#.utf8)
            _ = try await HTTP.send(
                mock.url("/echo"), method: .POST, headers: [("Content-Type", "application/json"), ("X-Trace", "t-1")], body: body)
            let entry = try await mock.journal.entry(1)
            #expect(entry.json?["model"]?.stringValue == "bge")
            #expect(entry.json?["input"] == .array([.string("a"), .string("b")]))
            #expect(entry.header("x-trace") == "t-1")
            #expect(entry.header("Host") != nil)
        }
    }

    @Test func keepsOnlyASmallPrefixAndParsesOnlySmallJSON() async throws {
        let limits = MockHost.Configuration(journal: .init(prefixLimit: 16))
        try await withMockServer(TestMock(), configuration: limits) { mock in
            let padding = String(repeating: "x", count: RequestJournal.Configuration.jsonLimit)
            let big = Array(#"{"input": "\#(padding)"}"#.utf8)
            _ = try await HTTP.send(mock.url("/echo"), method: .POST, headers: [("Content-Type", "application/json")], body: big)
            let small = Array(#"{"input": "x"}"#.utf8)
            _ = try await HTTP.send(mock.url("/echo"), method: .POST, headers: [("Content-Type", "application/json")], body: small)
            let first = try await mock.journal.entry(1)
            #expect(first.bodyPrefix == Array(big.prefix(16)))
            #expect(first.json == nil)
            #expect(first.bodySHA256 == SHA256.hex(big))
            #expect(try await mock.journal.entry(2).json?["input"]?.stringValue == "x")
        }
    }

    @Test func hashesBodiesNoRouteRead() async throws {
        try await withMockServer(TestMock()) { mock in
            let body = Array("ignored by everyone".utf8)
            let reply = try await HTTP.send(mock.url("/nowhere"), method: .POST, body: body)
            #expect(reply.status == 404)
            let entry = try await mock.journal.entry(1)
            #expect(entry.bodySHA256 == SHA256.hex(body))
            #expect(entry.bodySize == body.count)
        }
    }

    @Test func aBrokenMultipartBodyIsNotedNotFatal() async throws {
        try await withMockServer(TestMock()) { mock in
            let reply = try await HTTP.send(
                mock.url("/upload"), method: .POST, headers: [("Content-Type", "multipart/form-data; boundary=abc")],
                body: Array("--abc\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nno end".utf8))
            #expect(reply.status == 200)
            let entry = try await mock.journal.entry(1)
            #expect(entry.formFieldNames == ["x"])
            #expect(entry.multipartError == "truncated")
        }
    }

    @Test func arrivalsLetATestWaitForTheSecondRequest() async throws {
        try await withMockServer(TestMock()) { mock in
            async let second = mock.journal.entry(2)
            _ = try await HTTP.send(mock.url("/health"))
            _ = try await HTTP.send(mock.url("/big"))
            #expect(try await second.path == "/big")
            #expect(mock.journal.entries.map(\.index) == [1, 2])
        }
    }

    @Test func clearingStartsNumberingAgain() async throws {
        try await withMockServer(TestMock()) { mock in
            _ = try await HTTP.send(mock.url("/health"))
            _ = try await mock.journal.entry(1)
            mock.journal.clear()
            _ = try await HTTP.send(mock.url("/big"))
            #expect(try await mock.journal.entry(1).path == "/big")
            #expect(mock.journal.count == 1)
        }
    }
}
