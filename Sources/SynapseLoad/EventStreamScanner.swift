import NIOCore

/// Reads server-sent events as the bytes arrive, split anywhere: LF or CRLF line endings
/// (llama.cpp writes LF, sse-starlette CRLF), `event:` and `data:` fields, `:` comments
/// ignored, an empty line ends an event. Keeps only the unfinished line and event. The load
/// engine's streaming figures and the scenario runner's `events:` checks both read streams with it.
public struct EventStreamScanner: Sendable {
    /// One complete event: its `event:` name (empty for the default) and its data lines joined by LF.
    public struct Event: Sendable, Equatable {
        public var name: String
        public var data: [UInt8]
        /// Whether it had a `data:` line (an event may carry only a name).
        public var hasData: Bool

        public init(name: String, data: [UInt8], hasData: Bool = true) {
            self.name = name
            self.data = data
            self.hasData = hasData
        }
    }

    private var line: [UInt8] = []
    private var name = ""
    private var data: [UInt8] = []
    private var hasData = false

    public init() {}

    /// Scans `bytes`; returns the events they complete, in order.
    public mutating func feed(_ bytes: ByteBufferView) -> [Event] {
        var events: [Event] = []
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            line.append(contentsOf: bytes[start..<newline])
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if let event = endLine() { events.append(event) }
            start = bytes.index(after: newline)
        }
        line.append(contentsOf: bytes[start...])
        return events
    }

    private mutating func endLine() -> Event? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            let event = hasData || !name.isEmpty ? Event(name: name, data: data, hasData: hasData) : nil
            name = ""
            data.removeAll(keepingCapacity: true)
            hasData = false
            return event
        }
        if line.first == UInt8(ascii: ":") { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        var valueStart = colon == line.endIndex ? colon : line.index(after: colon)
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = line[valueStart...]
        switch String(decoding: line[..<colon], as: UTF8.self) {
        case "data":
            if hasData { data.append(UInt8(ascii: "\n")) }
            data.append(contentsOf: value)
            hasData = true
        case "event":
            name = String(decoding: value, as: UTF8.self)
        default:
            break
        }
        return nil
    }
}
