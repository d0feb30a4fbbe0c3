import NIOCore
import NIOHTTP1
import SynapseLoadReport
import Testing

@testable import SynapseLoad

@Suite struct StreamMeasurementTests {
    @Test func scansEventsSplitAnywhereWithLFOrCRLF() {
        var scanner = EventStreamScanner()
        var events: [EventStreamScanner.Event] = []
        let text = "event: segment\r\ndata: {\"id\": 1}\r\n\r\n: ping\r\n\r\ndata: a\ndata: b\n\nevent: done\r\ndata: {}\r\n\r\n"
        for byte in Array(text.utf8) { events += scanner.feed(ByteBuffer(bytes: [byte]).readableBytesView) }
        #expect(events.map(\.name) == ["segment", "", "done"])
        #expect(events.map { String(decoding: $0.data, as: UTF8.self) } == ["{\"id\": 1}", "a\nb", "{}"])
    }

    @Test func aChatEventCarriesATokenOnlyWithNonEmptyContent() {
        func has(_ json: String) -> Bool { StreamMeasurement.hasContent(Array(json.utf8)) }
        #expect(has(#"{"choices":[{"index":0,"delta":{"content":"Hi"}}]}"#))
        #expect(!has(#"{"choices":[{"index":0,"delta":{"role":"assistant","content":null}}]}"#))
        #expect(!has(#"{"choices":[{"index":0,"delta":{"content":""}}]}"#))
        #expect(!has(#"{"choices":[{"finish_reason":"stop","index":0,"delta":{}}]}"#))
        #expect(!has("[DONE]"))
    }

    @Test func choosesWhatToMeasureFromTheAnswer() {
        func kind(_ type: String, _ path: Substring) -> String {
            StreamMeasurement(head: HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Content-Type": type]), path: path).kind.rawValue
        }
        #expect(kind("text/event-stream", "/v1/chat/completions") == "chatEvents")
        #expect(kind("text/event-stream; charset=utf-8", "/stt/stream") == "transcriptEvents")
        #expect(kind("audio/wav", "/tts/synthesize") == "audio")
        #expect(kind("application/json", "/v1/embeddings") == "plain")
    }
}
