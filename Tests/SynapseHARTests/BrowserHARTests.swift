import Foundation
import Testing

@testable import SynapseHAR

@Suite("HAR archive: a recording exported from a real browser")
struct BrowserHARTests {
    /// Fixtures/recordings/browser-chromium.har (made by scripts/browser-har.py).
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/recordings/browser-chromium.har").path

    @Test("every entry loads; base64 audio and the base64 multipart upload decode to their bytes")
    func loads() throws {
        let archive = try HARArchive.load(Self.fixture)
        #expect(archive.exchanges.count == 7)
        let routes = archive.exchanges.map(\.route)
        #expect(routes.contains("POST /v1/chat/completions") && routes.contains("POST /tts/synthesize") && routes.contains("POST /stt/transcribe"))
        #expect(archive.exchanges.allSatisfy { $0.backend == nil })

        let speech = try #require(archive.exchanges.first { $0.path == "/tts/synthesize" })
        let audio = try speech.responseBody.readAll()
        #expect(audio.starts(with: Array("RIFF".utf8)) && audio.count > 10_000)

        let upload = try #require(archive.exchanges.first { $0.path == "/stt/transcribe" })
        let body = try upload.requestBody.readAll()
        #expect(body.starts(with: Array("------WebKitFormBoundary".utf8)))
        // The uploaded file is the TTS answer the page received, byte for byte.
        #expect(body.count > audio.count && Self.contains(body, audio))

        let chat = try #require(archive.exchanges.first { $0.path == "/v1/chat/completions" })
        #expect(String(decoding: try chat.responseBody.readAll(), as: UTF8.self).contains("data: [DONE]"))
        #expect(Set(chat.replayHeaders.map { $0.name.lowercased() }).isDisjoint(with: ["host", "content-length", "connection", "accept-encoding"]))
        #expect(chat.replayHeaders.contains { $0.name == "Content-Type" && $0.value == "application/json" })
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= haystack.count else { return needle.isEmpty }
        for start in 0...(haystack.count - needle.count) where haystack[start] == first && haystack[start..<start + needle.count].elementsEqual(needle) {
            return true
        }
        return false
    }
}
