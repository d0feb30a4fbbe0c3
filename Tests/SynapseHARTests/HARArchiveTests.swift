import Foundation
import SynapseCore
import Testing

@testable import SynapseHAR

@Suite("HAR archive: reading recordings")
struct HARArchiveTests {
    /// A scratch folder with `files` (relative path → bytes) in it.
    static func folder(_ files: [String: [UInt8]]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("har-\(UUID().uuidString)").path
        for (name, bytes) in files {
            let path = (root as NSString).appendingPathComponent(name)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        return root
    }

    static func har(_ entries: [String]) -> [UInt8] {
        Array(#"{"log":{"version":"1.2","creator":{"name":"test","version":"1"},"entries":[\#(entries.joined(separator: ","))]}}"#.utf8)
    }

    static func entry(
        _ started: String, method: String = "POST", url: String = "http://gw:8000/v1/embeddings", postData: String = "null",
        content: String = #"{"size":2,"mimeType":"application/json","text":"{}"}"#
    ) -> String {
        """
        {"startedDateTime":"\(started)","time":5,"request":{"method":"\(method)","url":"\(url)","httpVersion":"HTTP/1.1","cookies":[],\
        "headers":[{"name":"Content-Type","value":"application/json"},{"name":"Authorization","value":"[REDACTED]"},{"name":":path","value":"/x"},\
        {"name":"Host","value":"gw"}],"queryString":[],"postData":\(postData),"headersSize":-1,"bodySize":-1},\
        "response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","cookies":[],"headers":[],"content":\(content),\
        "redirectURL":"","headersSize":-1,"bodySize":-1},"cache":{},"timings":{"send":1,"wait":3,"receive":1}}
        """
    }

    @Test("a folder's files are merged in time order, with offsets from the first request")
    func folderInTimeOrder() throws {
        let root = try Self.folder([
            "b.har": Self.har([Self.entry("2026-12-07T03:00:00.500Z", url: "http://gw/second")]),
            "a.har": Self.har([
                Self.entry("2026-12-07T03:00:01.250+00:00", url: "http://gw/third?x=1"), Self.entry("2026-12-07T03:00:00Z", url: "http://gw/first"),
            ]),
            "notes.txt": Array("not a recording".utf8),
        ])
        let archive = try HARArchive.load(root)
        #expect(archive.files.map { ($0 as NSString).lastPathComponent } == ["a.har", "b.har"])
        #expect(archive.exchanges.map(\.target) == ["/first", "/second", "/third?x=1"])
        #expect(archive.exchanges.map(\.offset) == [.zero, .milliseconds(500), .milliseconds(1250)])
        #expect(archive.exchanges[2].path == "/third")
        #expect(archive.exchanges[2].route == "POST /third")
    }

    @Test("bodies: inline text, base64 (browser exports) and body files by reference")
    func bodies() throws {
        let audio: [UInt8] = (0..<300).map { UInt8($0 % 251) }
        let root = try Self.folder([
            "r.har": Self.har([
                Self.entry(
                    "2026-12-07T03:00:00Z", postData: #"{"mimeType":"application/json","text":"{\"input\":\"hi\"}"}"#,
                    content: #"{"size":300,"mimeType":"audio/wav","_file":"bodies/abc"}"#),
                Self.entry(
                    "2026-12-07T03:00:01Z", postData: #"{"mimeType":"audio/wav","_file":"bodies/abc","_size":300}"#,
                    content: #"{"size":3,"mimeType":"application/octet-stream","text":"AAEC","encoding":"base64"}"#),
            ]),
            "bodies/abc": audio,
        ])
        let exchanges = try HARArchive.load((root as NSString).appendingPathComponent("r.har")).exchanges
        #expect(try exchanges[0].requestBody.readAll() == Array(#"{"input":"hi"}"#.utf8))
        #expect(try exchanges[0].responseBody.readAll() == audio)
        guard case .file(let path, 300) = exchanges[1].requestBody else {
            Issue.record("a body file is streamed, not read: \(exchanges[1].requestBody)")
            return
        }
        #expect(path.hasSuffix("bodies/abc"))
        #expect(try exchanges[1].responseBody.readAll() == [0, 1, 2])
    }

    @Test("replay headers leave out pseudo-headers, framing, Host and redacted values")
    func replayHeaders() throws {
        let root = try Self.folder(["r.har": Self.har([Self.entry("2026-12-07T03:00:00Z")])])
        let exchange = try #require(try HARArchive.load(root).exchanges.first)
        #expect(exchange.replayHeaders.map(\.name) == ["Content-Type"])
    }

    @Test(
        "an unusable entry is named with the problem",
        arguments: [
            (Self.entry("yesterday"), #"(POST http://gw:8000/v1/embeddings): startedDateTime "yesterday" is not an ISO 8601 date"#),
            (Self.entry("2026-12-07T03:00:00Z", url: "ftp://x/y"), #"request.url "ftp://x/y" is not an absolute http(s) URL or a path"#),
            (
                Self.entry("2026-12-07T03:00:00Z", postData: #"{"mimeType":"audio/wav","_file":"bodies/missing"}"#),
                #"request.postData: body file "bodies/missing" not found beside the HAR file"#
            ),
            (
                Self.entry("2026-12-07T03:00:00Z", postData: #"{"mimeType":"audio/wav","_file":"../../etc/passwd"}"#),
                #"points outside the recording"#
            ),
            (
                Self.entry("2026-12-07T03:00:00Z", content: #"{"size":1,"mimeType":"x","text":"%%%","encoding":"base64"}"#),
                "response.content.text is not valid base64"
            ),
            (
                Self.entry(
                    "2026-12-07T03:00:00Z",
                    content: #"{"size":2,"mimeType":"text/event-stream","text":"ab","_events":[{"offsetMs":1,"end":9}]}"#),
                "response.content._events[0]: end 9 is outside the body"
            ),
            // A name outside ASCII trapped in NIO's HTTPHeaders when the load tester sent it.
            (
                Self.entry("2026-12-07T03:00:00Z").replacingOccurrences(of: #""name":"Content-Type""#, with: #""name":"Cöntent-Type""#),
                #"request.headers[0]: "Cöntent-Type" is not a header name"#
            ),
            (
                Self.entry("2026-12-07T03:00:00Z").replacingOccurrences(of: #""name":"Host""#, with: #""name":"X Host""#),
                #"request.headers[3]: "X Host" is not a header name"#
            ),
        ])
    func badEntry(entry: String, message: String) throws {
        let root = try Self.folder(["r.har": Self.har([Self.entry("2026-12-07T03:00:00Z"), entry])])
        #expect {
            try HARArchive.load(root)
        } throws: { error in
            let text = "\(error)"
            return text.contains("r.har: entry 1") && text.contains(message)
        }
    }

    @Test("a document that is not HAR says where it breaks")
    func notHAR() throws {
        let root = try Self.folder([
            "a.har": Array("{not json".utf8), "b.har": Array(#"{"log":{"entries":[{"startedDateTime":"2026-12-07T03:00:00Z"}]}}"#.utf8),
        ])
        #expect(throws: HARReadError.self) { try HARArchive.load((root as NSString).appendingPathComponent("a.har")) }
        do {
            _ = try HARArchive.load((root as NSString).appendingPathComponent("b.har"))
            Issue.record("an entry without a request must not load")
        } catch {
            #expect(error.description.hasSuffix(#"b.har: log.entries[0]: key "request" is missing"#))
        }
        #expect(throws: HARReadError(file: "/nonexistent.har", problem: "no such file or folder")) { try HARArchive.load("/nonexistent.har") }
    }
}
