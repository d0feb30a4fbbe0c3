/// Finds the events of a `text/event-stream` body as its bytes arrive: an event ends at a
/// blank line (`\n\n`, `\r\n\r\n` or `\r\r`, per the HTML standard's line rules).
///
/// The events partition the body: each reported `end` is just past its blank line, the next
/// event starts there, and `finish` reports whatever trails the last blank line as a final
/// event. Blank lines with no field before them (keep-alives) join the next event. Only the
/// start of each line is kept (for `event:`), so memory stays small whatever the stream.
public struct SSEEventScanner: Sendable {
    /// Bytes seen so far.
    public private(set) var position = 0
    private var lastEnd = 0
    private var line: [UInt8] = []
    private var lineLength = 0
    private var pendingCR = false
    private var hasField = false
    private var eventName: String?
    private static let keptLineBytes = 128

    public init() {}

    /// Scans the next chunk, which arrived `offsetMs` after the response began; returns the
    /// events it completed.
    public mutating func feed(_ bytes: some Sequence<UInt8>, offsetMs: Double) -> [HARStreamEvent] {
        var events: [HARStreamEvent] = []
        for byte in bytes {
            if pendingCR {
                pendingCR = false
                if byte == UInt8(ascii: "\n") {
                    position += 1
                    endLine(at: position, offsetMs: offsetMs, into: &events)
                    continue
                }
                // A lone CR ended its line at the CR itself.
                endLine(at: position, offsetMs: offsetMs, into: &events)
            }
            position += 1
            switch byte {
            case UInt8(ascii: "\r"): pendingCR = true
            case UInt8(ascii: "\n"): endLine(at: position, offsetMs: offsetMs, into: &events)
            default:
                if lineLength < Self.keptLineBytes { line.append(byte) }
                lineLength += 1
            }
        }
        return events
    }

    /// The end of the body: a trailing CR ends its line, and bytes after the last event's blank
    /// line become one last event.
    public mutating func finish(offsetMs: Double) -> [HARStreamEvent] {
        var events: [HARStreamEvent] = []
        if pendingCR {
            pendingCR = false
            endLine(at: position, offsetMs: offsetMs, into: &events)
        }
        if position > lastEnd {
            events.append(HARStreamEvent(offsetMs: offsetMs, end: position, event: eventName))
            lastEnd = position
        }
        return events
    }

    private mutating func endLine(at end: Int, offsetMs: Double, into events: inout [HARStreamEvent]) {
        defer {
            line.removeAll(keepingCapacity: true)
            lineLength = 0
        }
        if lineLength == 0 {
            guard hasField else { return }
            events.append(HARStreamEvent(offsetMs: offsetMs, end: end, event: eventName))
            lastEnd = end
            hasField = false
            eventName = nil
            return
        }
        hasField = true
        let prefix = Array("event:".utf8)
        if line.starts(with: prefix) {
            var value = line.dropFirst(prefix.count)
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
            eventName = String(decoding: value, as: UTF8.self)
        }
    }
}
