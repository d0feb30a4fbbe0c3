import NIOCore
import NIOHTTP1
import Testing

@testable import SynapseGateway

/// The fast path's reader of backend answers: framing, heads split across reads, the answers
/// NIO's decoder would refuse refused with its errors.
@Suite struct RelayResponseParserTests {
    /// What the parser reported, in order: `head 200 [name: value…]`, `body <text>`, `end`, and
    /// what was left in the last read after an end.
    struct Run {
        var parts: [String] = []
        var leftover = ""
    }

    static func parse(_ reads: [String], parser: inout RelayResponseParser) throws -> Run {
        var run = Run()
        for read in reads {
            var buffer = ByteBuffer(string: read)
            try parser.parse(&buffer) { part in
                switch part {
                case .head(let head):
                    let fields = head.headers.map { "\($0.name): \($0.value)" }.joined(separator: ", ")
                    run.parts.append("head \(head.status.code) \(head.status.reasonPhrase) [\(fields)]")
                case .body(let chunk): run.parts.append("body \(String(buffer: chunk))")
                case .end: run.parts.append("end")
                }
            }
            run.leftover = String(buffer: buffer)
        }
        return run
    }

    static func parse(_ reads: String...) throws -> Run {
        var parser = RelayResponseParser()
        return try parse(reads, parser: &parser)
    }

    /// The parts with adjacent bodies joined (how a body is cut into reads is not the point).
    static func joined(_ parts: [String]) -> [String] {
        var result: [String] = []
        for part in parts {
            if part.hasPrefix("body "), let last = result.last, last.hasPrefix("body ") {
                result[result.count - 1] = last + part.dropFirst(5)
            } else {
                result.append(part)
            }
        }
        return result
    }

    @Test func aContentLengthAnswerInOneRead() throws {
        let run = try Self.parse("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}")
        #expect(run.parts == ["head 200 OK [Content-Type: application/json, Content-Length: 7]", "body {\"a\":1}", "end"])
    }

    @Test func everySplitOfAnAnswerGivesTheSameParts() throws {
        let answers = [
            "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nX-Thing:  spaced out \t\r\n\r\nhello world",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/event-stream\r\n\r\n"
                + "6\r\ndata: \r\n1A;name=value\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nTrailer-Field: x\r\n\r\n",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}",
        ]
        for answer in answers {
            let whole = try Self.parse(answer)
            #expect(whole.parts.last == "end", "\(whole.parts)")
            let bytes = Array(answer.utf8)
            for cut in 1..<bytes.count {
                let split = try Self.parse(String(decoding: bytes[..<cut], as: UTF8.self), String(decoding: bytes[cut...], as: UTF8.self))
                #expect(Self.joined(split.parts) == Self.joined(whole.parts), "cut at \(cut)")
            }
        }
        #expect(
            try Self.joined(Self.parse(answers[1]).parts) == [
                "head 200 OK [Transfer-Encoding: chunked, Content-Type: text/event-stream]", "body data: abcdefghijklmnopqrstuvwxyz", "end",
            ])
        #expect(try Self.parse(answers[2]).parts == ["head 100 Continue []", "head 404 Not Found [Content-Length: 2]", "body {}", "end"])
        #expect(try Self.parse(answers[0]).parts.first == "head 200 OK [Content-Length: 11, X-Thing: spaced out]")
    }

    @Test func namesOfEveryTokenCharacterAndValuesWithTabsAndNonASCIIAreTaken() throws {
        let run = try Self.parse("HTTP/1.1 200 OK\r\nX-!#$%&'*+.^_`|~9: a\tb caf\u{E9}\r\nContent-Length: 0\r\n\r\n")
        #expect(run.parts == ["head 200 OK [X-!#$%&'*+.^_`|~9: a\tb caf\u{E9}, Content-Length: 0]", "end"])
    }

    @Test func answersWithoutABodyEndWithTheirHead() throws {
        for head in [
            "HTTP/1.1 204 No Content\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n",
        ] {
            #expect(try Self.parse(head).parts.last == "end", "\(head)")
        }
    }

    @Test func anAnswerWithoutLengthEndsWithTheConnection() throws {
        var parser = RelayResponseParser()
        let run = try Self.parse(["HTTP/1.0 200 OK\r\n\r\nsome", " more"], parser: &parser)
        #expect(run.parts == ["head 200 OK []", "body some", "body  more"])
        #expect(try parser.finish())
        // A connection that ends between answers ends nothing.
        #expect(try !parser.finish())
    }

    @Test func whatFollowsAnAnswersEndIsLeftToTheCaller() throws {
        let run = try Self.parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n")
        #expect(run.parts == ["head 200 OK [Content-Length: 2]", "body ok", "end"])
        #expect(run.leftover == "HTTP/1.1 200 OK\r\n")
    }

    @Test func theConnectionEndingInsideAnAnswerIsNIOsInvalidEOFState() throws {
        for partial in [
            "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "HTTP/1.1 200 OK\r\nContent-Le",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
        ] {
            var parser = RelayResponseParser()
            _ = try Self.parse([partial], parser: &parser)
            #expect(throws: HTTPParserError.invalidEOFState) { try parser.finish() }
        }
    }

    @Test(arguments: [
        ("HTTP/2 200 OK\r\n\r\n", HTTPParserError.invalidVersion),
        ("HTTP/1.1 2000 OK\r\n\r\n", .invalidStatus),
        ("HTTP/1.1 20x OK\r\n\r\n", .invalidStatus),
        ("HTTP/1.1 200 OK\r\nNo-Colon\r\n\r\n", .invalidHeaderToken),
        ("HTTP/1.1 200 OK\r\nSpace : before\r\n\r\n", .invalidHeaderToken),
        ("HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n", .invalidHeaderToken),
        // Found by the fuzzer: NIO's `HTTPHeaders` traps on a name outside ASCII.
        ("HTTP/1.1 200 OK\r\nTr\u{E9}s: bien\r\n\r\n", .invalidHeaderToken),
        ("HTTP/1.1 200 OK\r\nA(b): c\r\n\r\n", .invalidHeaderToken),
        ("HTTP/1.1 200 OK\r\nA: b\u{1}c\r\n\r\n", .invalidHeaderToken),
        ("HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n", .invalidContentLength),
        ("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", .unexpectedContentLength),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .invalidChunkSize),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n", .lfExpected),
    ])
    func malformedAnswersAreNIOsErrors(answer: String, error: HTTPParserError) throws {
        #expect(throws: error) { try Self.parse(answer) }
    }

    @Test func aHeadOverEightyKiBOverflows() throws {
        var parser = RelayResponseParser()
        let field = "X-Big: " + String(repeating: "a", count: 1000) + "\r\n"
        let reads = ["HTTP/1.1 200 OK\r\n"] + Array(repeating: field, count: 90)
        #expect(throws: HTTPParserError.headerOverflow) { try Self.parse(reads, parser: &parser) }
    }
}
