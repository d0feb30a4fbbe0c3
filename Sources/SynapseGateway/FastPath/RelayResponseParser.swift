import NIOCore
import NIOHTTP1
import SynapseCore

/// The backend's answers on a fast-path connection, read straight from the socket's bytes: the
/// head's status and fields, then the body as it arrives, framed by `Content-Length`, chunked
/// coding or the connection's end.
///
/// It stands in for NIO's `HTTPResponseDecoder` (llhttp behind a `ByteToMessageHandler`, with a
/// callback per token) on the one kind of connection whose every answer the gateway asked for:
/// to a `POST`, one at a time. It reports what that decoder reports, with its errors
/// (`HTTPParserError`), so a failure reads the same on either path:
///
/// | met | reported |
/// |---|---|
/// | a head over 80 KiB (NIO's limit) | `headerOverflow` |
/// | a status line that is not `HTTP/1.x NNN …` | `invalidVersion`, `invalidStatus` |
/// | a field line without a name, a name that is not a token (a space before its colon, a folded line, a byte outside ASCII), a control character in a value | `invalidHeaderToken` |
/// | `Content-Length` not a number, or two that differ | `invalidContentLength`, `unexpectedContentLength` |
/// | a chunk size not in hex, or a chunk not ended by CRLF | `invalidChunkSize`, `lfExpected` |
/// | the connection's end inside an answer it framed | `invalidEOFState` |
///
/// Informational answers (1xx) are reported as heads and followed by the real one, as NIO's
/// decoder does; `FastExchange` skips them. (Public for the fuzzer's `relay-response` target.)
public struct RelayResponseParser {
    public enum Part {
        case head(HTTPResponseHead)
        case body(ByteBuffer)
        case end
    }

    private enum State {
        /// Before an answer's head, or inside it (its bytes so far in `pending`).
        case head
        case fixed(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
    }

    static let headLimit = 80 * 1024

    public init() {}

    private var state = State.head
    /// The start of a head or a chunk line whose end has not arrived yet.
    private var pending = ByteBuffer()

    /// Reads what `buffer` holds, reporting each part as it is complete (a body's bytes as they
    /// come); what it cannot use yet (a head's or a chunk line's start) it keeps for the next read.
    /// It stops after an answer's `.end`: what is left in `buffer` then came after the answer.
    public mutating func parse(_ buffer: inout ByteBuffer, _ report: (Part) -> Void) throws {
        while buffer.readableBytes > 0 {
            switch state {
            case .head:
                guard let part = try readHead(&buffer) else { return }
                report(.head(part))
                // A final answer without a body (204, 304, `Content-Length: 0`) ends with its head.
                if case .head = state, part.status.code >= 200 {
                    report(.end)
                    return
                }
            case .fixed(let remaining):
                let slice = buffer.readSlice(length: min(remaining, buffer.readableBytes))!
                report(.body(slice))
                if remaining == slice.readableBytes {
                    state = .head
                    report(.end)
                    return
                } else {
                    state = .fixed(remaining: remaining - slice.readableBytes)
                }
            case .untilClose:
                report(.body(buffer.readSlice(length: buffer.readableBytes)!))
            case .chunkSize:
                guard let line = try readLine(&buffer) else { return }
                let size = try Self.chunkSize(line)
                state = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let slice = buffer.readSlice(length: min(remaining, buffer.readableBytes))!
                report(.body(slice))
                state = remaining == slice.readableBytes ? .chunkDataEnd : .chunkData(remaining: remaining - slice.readableBytes)
            case .chunkDataEnd:
                guard let line = try readLine(&buffer) else { return }
                guard line.readableBytes == 0 else { throw HTTPParserError.lfExpected }
                state = .chunkSize
            case .trailers:
                // Trailer fields are read and dropped, as the gateway forwards none.
                guard let line = try readLine(&buffer) else { return }
                if line.readableBytes == 0 {
                    state = .head
                    report(.end)
                    return
                }
            }
        }
    }

    /// The connection ended: true when that ends an answer framed by it (report its `.end`).
    public mutating func finish() throws -> Bool {
        switch state {
        case .untilClose:
            state = .head
            return true
        case .head where pending.readableBytes == 0:
            return false
        default:
            throw HTTPParserError.invalidEOFState
        }
    }

    // MARK: The head

    private mutating func readHead(_ buffer: inout ByteBuffer) throws -> HTTPResponseHead? {
        guard let text = try take(&buffer, through: Self.headEnd) else { return nil }
        let parsed = try text.withUnsafeReadableBytes { try Self.head($0) }
        state = try Self.framing(of: parsed)
        return parsed
    }

    /// The offset just past the first CRLF CRLF in `bytes` from `start`, if any.
    private static func headEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while index + 3 < bytes.count {
            if bytes[index + 3] != 10 {
                index += bytes[index + 3] == 13 ? 1 : 4
                continue
            }
            if bytes[index] == 13, bytes[index + 1] == 10, bytes[index + 2] == 13 { return index + 4 }
            index += 1
        }
        return nil
    }

    /// The offset just past the first LF in `bytes` from `start`, if any.
    private static func lineEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start < bytes.count, let index = bytes[start...].firstIndex(of: 10) else { return nil }
        return index + 1
    }

    /// The bytes up to the end `find` finds, once they have all arrived; kept in `pending` till
    /// then (a head or a line may straddle reads). In the usual case, everything in one read,
    /// they are a slice of the read's buffer, copied nowhere.
    private mutating func take(
        _ buffer: inout ByteBuffer, through find: (UnsafeRawBufferPointer, Int) -> Int?
    ) throws -> ByteBuffer? {
        if pending.readableBytes == 0, let end = buffer.withUnsafeReadableBytes({ find($0, 0) }) {
            guard end <= Self.headLimit else { throw HTTPParserError.headerOverflow }
            return buffer.readSlice(length: end)!
        }
        // Look again from a few bytes before the new ones: the end may straddle the reads.
        let searchFrom = max(0, pending.readableBytes - 3)
        pending.writeBuffer(&buffer)
        guard let end = pending.withUnsafeReadableBytes({ find($0, searchFrom) }) else {
            if pending.readableBytes > Self.headLimit { throw HTTPParserError.headerOverflow }
            return nil
        }
        guard end <= Self.headLimit else { throw HTTPParserError.headerOverflow }
        let taken = pending.readSlice(length: end)!
        // What follows goes back to the caller (who had handed over all of it).
        buffer = pending
        pending = ByteBuffer()
        return taken
    }

    private static func head(_ bytes: UnsafeRawBufferPointer) throws -> HTTPResponseHead {
        var lines = Lines(bytes: bytes)
        guard let status = lines.next(), status.count >= 12, status.starts(with: "HTTP/1.".utf8),
            let minor = status[status.startIndex + 7].digit, status[status.startIndex + 8] == UInt8(ascii: " ")
        else { throw HTTPParserError.invalidVersion }
        let at = status.startIndex
        guard let hundreds = status[at + 9].digit, let tens = status[at + 10].digit, let units = status[at + 11].digit,
            status.count == 12 || status[at + 12] == UInt8(ascii: " ")
        else { throw HTTPParserError.invalidStatus }
        let reason = status.count > 13 ? String(decoding: UnsafeRawBufferPointer(rebasing: status[(at + 13)...]), as: UTF8.self) : ""
        var headers = HTTPHeaders()
        while let field = lines.next(), !field.isEmpty {
            // A name is a token and a value holds no control character but tab, as llhttp has
            // them (NIO's `HTTPHeaders` traps on a name that is not ASCII).
            guard let colon = field.firstIndex(of: UInt8(ascii: ":")), colon > field.startIndex,
                field[..<colon].allSatisfy(\.isTokenCharacter)
            else { throw HTTPParserError.invalidHeaderToken }
            var value = field[(colon + 1)...]
            guard value.allSatisfy({ $0 >= 0x20 && $0 != 0x7F || $0 == 9 }) else { throw HTTPParserError.invalidHeaderToken }
            while let first = value.first, first.isBlank { value = value.dropFirst() }
            while let last = value.last, last.isBlank { value = value.dropLast() }
            headers.add(
                name: String(decoding: UnsafeRawBufferPointer(rebasing: field[..<colon]), as: UTF8.self),
                value: String(decoding: UnsafeRawBufferPointer(rebasing: value), as: UTF8.self))
        }
        let code = hundreds * 100 + tens * 10 + units
        return HTTPResponseHead(version: .init(major: 1, minor: minor), status: .init(statusCode: code, reasonPhrase: reason), headers: headers)
    }

    /// A head's lines, each without its line ending (CRLF; a bare LF between fields is taken too,
    /// though the head itself must end with CRLF CRLF).
    private struct Lines {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        mutating func next() -> Slice<UnsafeRawBufferPointer>? {
            guard let end = RelayResponseParser.lineEnd(bytes, from: offset) else { return nil }
            var line = bytes[offset..<(end - 1)]
            if line.last == 13 { line = line.dropLast() }
            offset = end
            return line
        }
    }

    /// Where the answer's body ends (RFC 9112 §6.3, for an answer to a `POST`); `.head` when it
    /// has none.
    private static func framing(of head: HTTPResponseHead) throws -> State {
        let code = head.status.code
        if code < 200 && code != 101 || code == 204 || code == 304 { return .head }
        if code == 101 { return .untilClose }
        let codings = head.headers["transfer-encoding"]
        if !codings.isEmpty {
            let last = codings.last!.split(separator: ",").last?.trimmingASCIIBlanks.lowercased()
            return last == "chunked" ? .chunkSize : .untilClose
        }
        let lengths = head.headers["content-length"]
        guard let first = lengths.first else { return .untilClose }
        guard let length = Int(first.trimmingASCIIBlanks), length >= 0 else { throw HTTPParserError.invalidContentLength }
        guard lengths.allSatisfy({ Int($0.trimmingASCIIBlanks) == length }) else { throw HTTPParserError.unexpectedContentLength }
        return length == 0 ? .head : .fixed(remaining: length)
    }

    // MARK: Chunk lines

    /// A chunk-size or trailer line without its CRLF, once it has all arrived.
    private mutating func readLine(_ buffer: inout ByteBuffer) throws -> ByteBuffer? {
        guard var line = try take(&buffer, through: Self.lineEnd) else { return nil }
        line.moveWriterIndex(to: line.writerIndex - 1)
        guard line.readableBytesView.last == 13 else { throw HTTPParserError.lfExpected }
        line.moveWriterIndex(to: line.writerIndex - 1)
        return line
    }

    private static func chunkSize(_ line: ByteBuffer) throws -> Int {
        // Extensions (`;name=value`) are allowed and ignored.
        let digits = line.readableBytesView.prefix { $0 != UInt8(ascii: ";") }.reversed().drop { $0.isBlank }.reversed()
        guard !digits.isEmpty, digits.count <= 15 else { throw HTTPParserError.invalidChunkSize }
        var size = 0
        for byte in digits {
            guard let value = byte.hexDigit else { throw HTTPParserError.invalidChunkSize }
            size = size * 16 + value
        }
        return size
    }
}

extension UInt8 {
    fileprivate var digit: Int? { (48...57).contains(self) ? Int(self - 48) : nil }

    fileprivate var hexDigit: Int? {
        switch self {
        case 48...57: Int(self - 48)
        case 65...70: Int(self - 55)
        case 97...102: Int(self - 87)
        default: nil
        }
    }

    fileprivate var isBlank: Bool { self == 32 || self == 9 }

    /// RFC 9110's `tchar`: what a field name is made of (SynapseCore's check, for both parsers).
    var isTokenCharacter: Bool { HTTPFieldName.isTokenCharacter(self) }
}

extension StringProtocol {
    fileprivate var trimmingASCIIBlanks: Substring {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
