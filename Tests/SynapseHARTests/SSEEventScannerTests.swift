import SynapseHAR
import Testing

@Suite struct SSEEventScannerTests {
    /// Feeds `body` in pieces of `size` bytes, the i-th at offset i ms; returns the events.
    static func scan(_ body: String, pieces size: Int) -> [HARStreamEvent] {
        var scanner = SSEEventScanner()
        let bytes = Array(body.utf8)
        var events: [HARStreamEvent] = []
        for (index, start) in stride(from: 0, to: bytes.count, by: size).enumerated() {
            events += scanner.feed(bytes[start..<min(start + size, bytes.count)], offsetMs: Double(index))
        }
        return events + scanner.finish(offsetMs: 1000)
    }

    @Test(arguments: [1, 2, 3, 7, 1000])
    func eventsPartitionTheBodyHoweverItIsSplit(pieceSize: Int) {
        let body = ": keep-alive\n\nevent: delta\ndata: a\n\ndata: b\r\n\r\ndata: c\r\rdata: [DONE]\n\ntrailing"
        let events = Self.scan(body, pieces: pieceSize)
        let bytes = Array(body.utf8)
        var start = 0
        var texts: [String] = []
        for event in events {
            texts.append(String(decoding: bytes[start..<event.end], as: UTF8.self))
            start = event.end
        }
        #expect(
            texts == [
                ": keep-alive\n\n", "event: delta\ndata: a\n\n", "data: b\r\n\r\n", "data: c\r\r", "data: [DONE]\n\n", "trailing",
            ])
        #expect(events.map(\.event) == [nil, "delta", nil, nil, nil, nil])
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.offsetMs <= $1.offsetMs })
        #expect(events.last?.offsetMs == 1000)
    }

    @Test func leadingBlankLinesJoinTheFirstEvent() {
        let events = Self.scan("\n\ndata: x\n\n", pieces: 100)
        #expect(events.map(\.end) == [11])
    }
}
