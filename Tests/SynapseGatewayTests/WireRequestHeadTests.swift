import HTTPTypes
import NIOCore
import Testing

@testable import SynapseGateway

/// `WireRequestHead` reads the strict subset of request heads it promises, leaves everything else
/// to NIO's decoder (`.unusual`), and waits on a head that has not ended. (That what it reads
/// means the same to NIO is `WireRequestOracleTests`' and the `wire-request` fuzz target's.)
@Suite struct WireRequestHeadTests {
    static func reading(_ text: String, maxLength: Int = 1024, maxFields: Int = 16) -> WireRequestHead.Reading {
        WireRequestHead.read(ByteBuffer(string: text), maxLength: maxLength, maxFields: maxFields)
    }

    static let post = "POST /v1/embeddings HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n"

    @Test func aPlainHeadIsReadWithItsLengths() throws {
        guard case .head(let head) = Self.reading(Self.post + #"{"input":"a"}"#) else { throw Failure("not read") }
        #expect(head.length == Self.post.utf8.count)
        #expect(head.bodyLength == 13)
        #expect(head.postTarget == "/v1/embeddings")
        let request = head.request(in: ByteBuffer(string: Self.post))
        #expect(request.method == .post && request.path == "/v1/embeddings" && request.scheme == "http")
        #expect(request.authority == "gateway", "the first Host becomes the authority")
        #expect(request.headerFields[HTTPField.Name("Host")!] == nil)
        #expect(request.headerFields[.contentType] == "application/json")
        #expect(request.headerFields.map(\.name.rawName) == ["Content-Type", "Content-Length"], "names keep their case and order")
    }

    @Test func valuesLoseTheirSurroundingBlanksAndAGetHasNoTarget() throws {
        let text = "GET /health HTTP/1.1\r\nhost: a\r\nHOST: b\r\nX-Empty:\r\nX-Tab:\t v  w \t\r\n\r\n"
        guard case .head(let head) = Self.reading(text) else { throw Failure("not read") }
        #expect(head.postTarget == nil && head.bodyLength == 0)
        let request = head.request(in: ByteBuffer(string: text))
        #expect(request.authority == "a")
        #expect(request.headerFields.map(\.value) == ["b", "", "v  w"])
    }

    @Test(arguments: [
        "POST /v1/embeddings HTTP/1.1\r\nHost: gateway\r\nContent-Len",
        "POST /v1/embeddings HTTP/1.1\r\nHost: gateway\r\n\r",
        "POST /v1/embed",
        "",
    ])
    func anUnfinishedHeadIsWaitedOn(text: String) {
        #expect(Self.reading(text) == .incomplete)
    }

    @Test(arguments: [
        ("HTTP/1.0", "POST /v1/embeddings HTTP/1.0\r\nHost: a\r\n\r\n"),
        ("chunked", "POST /v1/embeddings HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
        ("two lengths", "POST /v1/embeddings HTTP/1.1\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nab"),
        ("a signed length", "POST /v1/embeddings HTTP/1.1\r\nContent-Length: +2\r\n\r\nab"),
        ("expect", "POST /v1/embeddings HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"),
        ("upgrade", "GET / HTTP/1.1\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n"),
        ("obs-fold", "GET / HTTP/1.1\r\nX-A: b\r\n c\r\n\r\n"),
        ("bare LF", "GET / HTTP/1.1\nHost: a\n\n"),
        ("a bare LF in a value", "GET / HTTP/1.1\r\nX-A: b\nc\r\n\r\n"),
        ("a space before the colon", "GET / HTTP/1.1\r\nX-A : b\r\n\r\n"),
        ("a value outside ASCII", "GET / HTTP/1.1\r\nX-A: café\r\n\r\n"),
        ("a name outside the tokens", "GET / HTTP/1.1\r\nX(A): b\r\n\r\n"),
        ("an unknown method", "BREW /pot HTTP/1.1\r\n\r\n"),
        ("a method in another case", "PoST /v1/embeddings HTTP/1.1\r\nContent-Length: 2\r\n\r\nab"),
        ("a length with a blank after it", "POST /v1/embeddings HTTP/1.1\r\nContent-Length: 2\t\r\n\r\nab"),
        ("a target not a path", "GET health HTTP/1.1\r\n\r\n"),
        ("CONNECT", "CONNECT a:443 HTTP/1.1\r\n\r\n"),
        ("an absolute target", "POST http://a/v1/embeddings HTTP/1.1\r\n\r\n"),
        ("too long", "GET / HTTP/1.1\r\nX-A: " + String(repeating: "b", count: 1024) + "\r\n\r\n"),
        ("too many fields", "GET / HTTP/1.1\r\n" + String(repeating: "X-A: b\r\n", count: 16) + "\r\n"),
    ])
    func anythingOutsideTheSubsetIsLeftToTheDecoder(why: String, text: String) {
        #expect(Self.reading(text) == .unusual, "\(why)")
    }

    @Test func theLimitsAreTheCallers() {
        let fields = "GET / HTTP/1.1\r\n" + String(repeating: "X-A: b\r\n", count: 15) + "\r\n"
        #expect(Self.reading(fields) != .unusual, "15 fields, under 16")
        #expect(Self.reading(fields, maxLength: fields.utf8.count - 1) == .unusual, "a head a byte longer than the limit")
        if case .head = Self.reading(fields, maxLength: fields.utf8.count) {} else { Issue.record("a head as long as the limit is read") }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
