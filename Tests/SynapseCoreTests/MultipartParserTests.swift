import SynapseCore
import Testing

@Suite struct MultipartParserTests {
    /// A two-part form as curl sends it: a text field and a file.
    static let form: [UInt8] = Array(
        ("--XyZ\r\n"
            + "Content-Disposition: form-data; name=\"language\"\r\n\r\n"
            + "en\r\n"
            + "--XyZ\r\n"
            + "Content-Disposition: form-data; name=\"file\"; filename=\"clip.wav\"\r\n"
            + "Content-Type: audio/wav\r\n\r\n"
            + "RIFF\r\n--Xy not a boundary\r\n-\r\n"
            + "--XyZ--\r\n").utf8)

    /// Runs the parser over `chunks` and folds the events into parts.
    static func parts(_ chunks: [[UInt8]], boundary: String = "XyZ") throws -> [MultipartForm.Part] {
        var parser = try MultipartParser(boundary: boundary)
        var parts: [MultipartForm.Part] = []
        var current: MultipartForm.Part?
        var sawEnd = false
        for chunk in chunks {
            for event in try parser.feed(chunk) {
                switch event {
                case .partStart(let head): current = .init(head: head, body: [])
                case .bodyBytes(let bytes): current?.body += bytes
                case .partEnd: parts.append(try #require(current))
                case .end: sawEnd = true
                }
            }
        }
        try parser.finish()
        #expect(sawEnd)
        return parts
    }

    @Test func parsesAWholeFormInOneChunk() throws {
        let parts = try Self.parts([Self.form])
        #expect(parts.count == 2)
        #expect(parts[0].name == "language")
        #expect(parts[0].filename == nil)
        #expect(parts[0].body == Array("en".utf8))
        #expect(parts[1].name == "file")
        #expect(parts[1].filename == "clip.wav")
        #expect(parts[1].contentType == "audio/wav")
        #expect(parts[1].body == Array("RIFF\r\n--Xy not a boundary\r\n-".utf8))
    }

    @Test func fedByteByByteGivesTheSameParts() throws {
        let whole = try Self.parts([Self.form])
        let split = try Self.parts(Self.form.map { [$0] })
        #expect(whole == split)
    }

    @Test(arguments: [2, 3, 5, 7, 8, 9, 13, 64])
    func everyChunkSizeGivesTheSameParts(size: Int) throws {
        let chunks = stride(from: 0, to: Self.form.count, by: size).map { Array(Self.form[$0..<min($0 + size, Self.form.count)]) }
        #expect(try Self.parts(chunks) == Self.parts([Self.form]))
    }

    @Test func bodyBytesAreStreamedBeforeThePartEnds() throws {
        var parser = try MultipartParser(boundary: "b")
        let head = try parser.feed(Array("--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n".utf8))
        #expect(head == [.partStart(MultipartPartHead(name: "f", headers: [("Content-Disposition", "form-data; name=\"f\"")]))])
        let first = try parser.feed([UInt8](repeating: 7, count: 1000))
        // Only the tail that could start "\r\n--b" is held back.
        let streamed = first.reduce(0) { count, event in
            if case .bodyBytes(let bytes) = event { return count + bytes.count }
            return count
        }
        #expect(streamed == 1000)
        let rest = try parser.feed(Array("\r\n--b--".utf8))
        #expect(rest == [.partEnd, .end])
    }

    @Test func aBoundarySplitAcrossChunksIsNotLeakedIntoTheBody() throws {
        var parser = try MultipartParser(boundary: "abc")
        _ = try parser.feed(Array("--abc\r\n\r\nhello\r\n-".utf8))
        let events = try parser.feed(Array("-ab".utf8)) + parser.feed(Array("c--".utf8))
        let body = events.flatMap { event -> [UInt8] in
            if case .bodyBytes(let bytes) = event { return bytes }
            return []
        }
        #expect(!body.contains(UInt8(ascii: "-")))
        #expect(events.suffix(2) == [.partEnd, .end])
    }

    @Test func preambleEpilogueAndTransportPaddingAreIgnored() throws {
        let body = Array("This is a preamble\r\n--q  \t\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--q--\r\nepilogue --q\r\n".utf8)
        let parts = try MultipartForm.parse(body: body, boundary: "q")
        #expect(parts.map(\.name) == ["a"])
        #expect(parts[0].body == [UInt8(ascii: "1")])
    }

    @Test func aPartWithoutHeadersHasAnEmptyName() throws {
        let parts = try MultipartForm.parse(body: Array("--q\r\n\r\ndata\r\n--q--".utf8), boundary: "q")
        #expect(parts.count == 1)
        #expect(parts[0].name == "")
        #expect(parts[0].body == Array("data".utf8))
    }

    @Test func anEmptyFilePartHasAnEmptyBody() throws {
        let text = "--q\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\n\r\n\r\n--q--\r\n"
        let parts = try MultipartForm.parse(body: Array(text.utf8), boundary: "q")
        #expect(parts[0].filename == "")
        #expect(parts[0].body.isEmpty)
    }

    @Test func extendedFilenameWinsOverThePlainOne() throws {
        let text =
            "--q\r\nContent-Disposition: form-data; name=\"file\"; filename=\"naive.wav\"; filename*=UTF-8''na%C3%AFve%20clip.wav\r\n\r\nx\r\n--q--"
        let parts = try MultipartForm.parse(body: Array(text.utf8), boundary: "q")
        #expect(parts[0].filename == "naïve clip.wav")
    }

    @Test func quotedParametersKeepSemicolonsAndEscapes() throws {
        let text = "--q\r\nContent-Disposition: form-data; name=\"a;b\"; filename=\"say \\\"hi\\\".txt\"\r\n\r\nx\r\n--q--"
        let parts = try MultipartForm.parse(body: Array(text.utf8), boundary: "q")
        #expect(parts[0].name == "a;b")
        #expect(parts[0].filename == "say \"hi\".txt")
    }

    @Test func foldedHeaderLinesAreJoined() throws {
        let text = "--q\r\nContent-Disposition: form-data;\r\n name=\"folded\"\r\n\r\nx\r\n--q--"
        let parts = try MultipartForm.parse(body: Array(text.utf8), boundary: "q")
        #expect(parts[0].name == "folded")
    }

    @Test func missingFinalBoundaryIsTruncated() {
        let text = "--q\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunfinished"
        #expect(throws: MultipartError.truncated) { try MultipartForm.parse(body: Array(text.utf8), boundary: "q") }
    }

    @Test func truncatedInsideHeadersIsTruncated() {
        #expect(throws: MultipartError.truncated) {
            try MultipartForm.parse(body: Array("--q\r\nContent-Disposition: form-da".utf8), boundary: "q")
        }
    }

    @Test func aBodyWithoutTheBoundaryIsReported() {
        #expect(throws: MultipartError.boundaryNotFound) {
            try MultipartForm.parse(body: Array("{\"file\": \"not multipart\"}".utf8), boundary: "q")
        }
    }

    @Test func garbageAfterADelimiterIsMalformed() {
        #expect(throws: MultipartError.malformedDelimiter) {
            try MultipartForm.parse(body: Array("--qX\r\n\r\n".utf8), boundary: "q")
        }
    }

    @Test func aHeaderLineWithoutAColonIsMalformed() {
        #expect(throws: MultipartError.malformedHeader("no colon here")) {
            try MultipartForm.parse(body: Array("--q\r\nno colon here\r\n\r\nx\r\n--q--".utf8), boundary: "q")
        }
    }

    @Test func endlessHeadersAreRejected() throws {
        var parser = try MultipartParser(boundary: "q", maxHeaderBytes: 100)
        #expect(throws: MultipartError.headersTooLarge(limit: 100)) {
            _ = try parser.feed(Array("--q\r\nX-Long: ".utf8) + [UInt8](repeating: 65, count: 200))
        }
    }

    @Test(arguments: ["", String(repeating: "b", count: 71), "naïve"])
    func invalidBoundariesAreRejected(boundary: String) {
        #expect(throws: MultipartError.invalidBoundary) { try MultipartParser(boundary: boundary) }
    }

    @Test(arguments: [
        ("multipart/form-data; boundary=----WebKitFormBoundary7MA4", "----WebKitFormBoundary7MA4"),
        ("multipart/form-data; boundary=\"with space;and semicolon\"", "with space;and semicolon"),
        ("Multipart/Form-Data;charset=utf-8;BOUNDARY=abc", "abc"),
        ("multipart/mixed; boundary=x ", "x"),
    ])
    func boundaryIsReadFromTheContentType(contentType: String, expected: String) {
        #expect(MultipartForm.boundary(fromContentType: contentType) == expected)
    }

    @Test(arguments: ["application/json", "multipart/form-data", "multipart/form-data; boundary=", "text/plain; boundary=abc"])
    func boundaryIsNilWhenAbsentOrNotMultipart(contentType: String) {
        #expect(MultipartForm.boundary(fromContentType: contentType) == nil)
    }
}
