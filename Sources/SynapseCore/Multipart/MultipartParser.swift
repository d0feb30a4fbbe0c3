/// An incremental `multipart/form-data` parser: feed it byte chunks as they arrive and it emits
/// events, holding at most one delimiter's worth of body bytes (plus one part's header block).
///
/// ```
///  preamble ──"--B"──▶ afterDelimiter ──CRLF──▶ headers ──CRLF CRLF──▶ body ──"CRLF--B"──▶ afterDelimiter
///                            │                                                                   │
///                            └──────────────────────"--"──────────▶ epilogue ◀───────"--"─────────┘
/// ```
///
/// The stream is treated as if it began with CRLF, so a first delimiter at byte 0 and one after
/// a preamble are found by the same search (RFC 2046 §5.1.1 allows both).
public struct MultipartParser: Sendable {
    /// What the parser found in the bytes fed so far.
    public enum Event: Sendable, Equatable {
        /// A new part begins; its headers are complete.
        case partStart(MultipartPartHead)
        /// Bytes of the current part's body (a part may produce many of these, or none).
        case bodyBytes([UInt8])
        /// The current part's body is complete.
        case partEnd
        /// The closing delimiter was seen; anything after it is epilogue and ignored.
        case end
    }

    private enum State: Sendable {
        case preamble, afterDelimiter, headers, body, epilogue
    }

    /// Largest header block accepted for one part. Default 16 KiB.
    public let maxHeaderBytes: Int
    /// `CRLF--boundary`.
    private let delimiter: [UInt8]
    private var state = State.preamble
    private var buffer: [UInt8]

    /// Creates a parser for `boundary` (the `boundary=` parameter, without leading dashes).
    public init(boundary: String, maxHeaderBytes: Int = 16 * 1024) throws(MultipartError) {
        let boundaryBytes = Array(boundary.utf8)
        guard !boundaryBytes.isEmpty, boundaryBytes.count <= 70, boundaryBytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw .invalidBoundary
        }
        self.delimiter = [13, 10, 45, 45] + boundaryBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.buffer = [13, 10]
    }

    /// Whether the closing delimiter has been seen.
    public var isFinished: Bool {
        if case .epilogue = state { return true }
        return false
    }

    /// Consumes the next chunk of the body and returns the events it completes.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(MultipartError) -> [Event] {
        if case .epilogue = state { return [] }
        buffer.append(contentsOf: bytes)
        var events: [Event] = []
        var position = 0
        defer { buffer.removeFirst(position) }
        while try step(from: &position, into: &events) {}
        return events
    }

    /// Declares the end of input; throws unless the closing delimiter was seen.
    public func finish() throws(MultipartError) {
        switch state {
        case .epilogue: return
        case .preamble: throw .boundaryNotFound
        default: throw .truncated
        }
    }

    // MARK: - States

    /// Makes one transition if the buffered bytes allow it; returns false when more input is needed.
    private mutating func step(from position: inout Int, into events: inout [Event]) throws(MultipartError) -> Bool {
        switch state {
        case .preamble:
            if let found = find(delimiter, from: position) {
                position = found + delimiter.count
                state = .afterDelimiter
                return true
            }
            // Discard preamble bytes that cannot start a delimiter.
            position = max(position, buffer.count - (delimiter.count - 1))
            return false

        case .body:
            if let found = find(delimiter, from: position) {
                if found > position { events.append(.bodyBytes(Array(buffer[position..<found]))) }
                events.append(.partEnd)
                position = found + delimiter.count
                state = .afterDelimiter
                return true
            }
            // Keep the tail that might be the start of a delimiter split across chunks.
            let safeEnd = safeBodyEnd(from: position)
            if safeEnd > position {
                events.append(.bodyBytes(Array(buffer[position..<safeEnd])))
                position = safeEnd
            }
            return false

        case .afterDelimiter:
            return try readAfterDelimiter(from: &position, into: &events)

        case .headers:
            // An empty header block is just the blank line; otherwise the block ends at CRLF CRLF.
            let block: [UInt8]
            if buffer.count - position >= 2, buffer[position] == 13, buffer[position + 1] == 10 {
                block = []
                position += 2
            } else if let blockEnd = find([13, 10, 13, 10], from: position) {
                block = Array(buffer[position..<blockEnd])
                position = blockEnd + 4
            } else {
                if buffer.count - position > maxHeaderBytes { throw .headersTooLarge(limit: maxHeaderBytes) }
                return false
            }
            events.append(.partStart(MultipartPartHead(headers: try Self.parseHeaderLines(block))))
            state = .body
            return true

        case .epilogue:
            position = buffer.count
            return false
        }
    }

    /// After `CRLF--boundary`: `--` closes the form; optional padding then CRLF starts a part.
    private mutating func readAfterDelimiter(from position: inout Int, into events: inout [Event]) throws(MultipartError) -> Bool {
        var index = position
        guard index < buffer.count else { return false }
        if buffer[index] == 45 {  // "-"
            guard index + 1 < buffer.count else { return false }
            guard buffer[index + 1] == 45 else { throw .malformedDelimiter }
            events.append(.end)
            state = .epilogue
            position = buffer.count
            return false
        }
        // Transport padding (spaces, tabs) may follow a delimiter before its line break.
        while index < buffer.count, buffer[index] == 32 || buffer[index] == 9 { index += 1 }
        if index - position > 256 { throw .malformedDelimiter }
        guard index + 1 < buffer.count else { return false }
        guard buffer[index] == 13, buffer[index + 1] == 10 else { throw .malformedDelimiter }
        position = index + 2
        state = .headers
        return true
    }

    // MARK: - Searching

    /// The first index ≥ `start` where `needle` occurs in the buffer.
    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard buffer.count - start >= needle.count else { return nil }
        let first = needle[0]
        var index = start
        let last = buffer.count - needle.count
        return buffer.withUnsafeBufferPointer { haystack in
            needle.withUnsafeBufferPointer { pattern in
                while index <= last {
                    if haystack[index] == first {
                        var matched = 1
                        while matched < pattern.count, haystack[index + matched] == pattern[matched] { matched += 1 }
                        if matched == pattern.count { return index }
                    }
                    index += 1
                }
                return nil
            }
        }
    }

    /// The end of the body bytes that certainly precede any delimiter: everything except a tail
    /// that is a proper prefix of the delimiter.
    private func safeBodyEnd(from start: Int) -> Int {
        let tailStart = max(start, buffer.count - (delimiter.count - 1))
        var candidate = tailStart
        while candidate < buffer.count {
            let length = buffer.count - candidate
            if buffer[candidate..<buffer.count].elementsEqual(delimiter[0..<length]) { return candidate }
            candidate += 1
        }
        return buffer.count
    }

    // MARK: - Headers

    /// Splits a header block into `(name, value)` pairs; folded continuation lines join the previous header.
    static func parseHeaderLines(_ block: [UInt8]) throws(MultipartError) -> [(String, String)] {
        var headers: [(String, String)] = []
        for rawLine in block.split(separator: 10, omittingEmptySubsequences: true) {
            var line = rawLine[...]
            if line.last == 13 { line.removeLast() }
            if line.isEmpty { continue }
            guard let text = String(validating: line, as: UTF8.self) else {
                throw .malformedHeader(String(decoding: line, as: UTF8.self))
            }
            if let first = line.first, first == 32 || first == 9, !headers.isEmpty {
                headers[headers.count - 1].1 += " " + text.multipartTrimmed()
                continue
            }
            guard let colon = text.firstIndex(of: ":") else { throw .malformedHeader(text) }
            let name = String(text[..<colon]).multipartTrimmed()
            guard !name.isEmpty else { throw .malformedHeader(text) }
            headers.append((name, String(text[text.index(after: colon)...]).multipartTrimmed()))
        }
        return headers
    }
}
