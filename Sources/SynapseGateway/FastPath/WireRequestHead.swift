import HTTPTypes
import NIOCore

/// A client request's head read straight off the socket by `WireFastPathHandler`, ahead of NIO's
/// HTTP decoder.
///
/// It reads only a strict subset of HTTP/1.1, in which every head means to it what it means to
/// the decoder (llhttp) and to NIO's conversion into an `HTTPRequest`. Anything outside that
/// subset is `.unusual`, and the connection goes to the decoder, which decides as it always did
/// (400, 431…). The subset:
/// - a request line `METHOD SP target SP HTTP/1.1 CRLF`: a common method (`GET`, `POST`…), a
///   target of visible ASCII starting with `/`;
/// - field lines `name ":" OWS value OWS CRLF`, names of token characters, values of visible ASCII,
///   space and tab (no obs-fold, no bare CR or LF, nothing outside ASCII);
/// - at most one `Content-Length` (digits only), no `Transfer-Encoding`, `Upgrade` or `Expect`;
/// - a head no longer than `maxLength` with fewer than `maxFields` fields: the caller passes less
///   than the decoder's own limits, so the decoder's 431 is never pre-empted.
public struct WireRequestHead: Equatable, Sendable {
    public enum Reading: Equatable, Sendable {
        /// The head has not ended yet in what arrived.
        case incomplete
        /// The head is outside the subset: NIO's decoder must read it.
        case unusual
        case head(WireRequestHead)
    }

    /// The head's length in bytes, its empty line included.
    public let length: Int
    /// `Content-Length`, 0 without one.
    public let bodyLength: Int
    /// The target of a `POST`; nil for other methods (the wire path relays only `POST`).
    public let postTarget: String?

    /// Reads the head at the start of `buffer`'s readable bytes.
    public static func read(_ buffer: ByteBuffer, maxLength: Int, maxFields: Int) -> Reading {
        buffer.withUnsafeReadableBytes { bytes in read(bytes, maxLength: maxLength, maxFields: maxFields) }
    }

    private static func read(_ bytes: UnsafeRawBufferPointer, maxLength: Int, maxFields: Int) -> Reading {
        var scanner = Scanner(bytes: bytes, limit: min(bytes.count, maxLength), isTruncated: bytes.count < maxLength)
        // The request line.
        let methodStart = scanner.index
        guard scanner.skipToken() else { return scanner.verdict }
        let method = methodStart..<scanner.index
        guard scanner.expect(UInt8(ascii: " ")) else { return scanner.verdict }
        let targetStart = scanner.index
        while let byte = scanner.peek(), byte > 0x20, byte < 0x7F { scanner.index += 1 }
        let target = targetStart..<scanner.index
        guard !target.isEmpty, scanner.expect(UInt8(ascii: " ")), scanner.expect("HTTP/1.1\r\n") else { return scanner.verdict }
        // llhttp knows a fixed list of methods, and reads targets in other forms than a path its
        // own way (NIO's conversion then takes the path out of an absolute one).
        guard Self.commonMethods.contains(where: { Self.equal(bytes, method, $0, ignoringCase: false) }), bytes[target.lowerBound] == UInt8(ascii: "/") else {
            return .unusual
        }

        // The field lines, up to the empty line.
        var bodyLength: Int?
        var fields = 0
        while true {
            guard let first = scanner.peek() else { return scanner.verdict }
            if first == UInt8(ascii: "\r") {
                guard scanner.expect("\r\n") else { return scanner.verdict }
                break
            }
            fields += 1
            guard fields < maxFields else { return .unusual }
            let nameStart = scanner.index
            guard scanner.skipToken() else { return scanner.verdict }
            let name = nameStart..<scanner.index
            guard scanner.expect(UInt8(ascii: ":")) else { return scanner.verdict }
            scanner.skipWhitespace()
            let valueStart = scanner.index
            var valueEnd = valueStart
            while let byte = scanner.peek(), byte != UInt8(ascii: "\r") {
                guard byte == 0x09 || (byte >= 0x20 && byte < 0x7F) else { return .unusual }
                scanner.index += 1
                if byte != 0x20, byte != 0x09 { valueEnd = scanner.index }
            }
            let lineEnd = scanner.index
            guard scanner.expect("\r\n") else { return scanner.verdict }
            switch name.count {
            case 14 where Self.equal(bytes, name, "content-length"):
                // Digits and nothing after them: llhttp refuses a length followed by blanks.
                guard bodyLength == nil, valueEnd == lineEnd, let length = Self.digits(bytes, valueStart..<valueEnd) else { return .unusual }
                bodyLength = length
            case 17 where Self.equal(bytes, name, "transfer-encoding"), 7 where Self.equal(bytes, name, "upgrade"),
                6 where Self.equal(bytes, name, "expect"):
                return .unusual
            default: break
            }
        }
        let postTarget =
            Self.equal(bytes, method, "POST", ignoringCase: false) ? String(decoding: UnsafeRawBufferPointer(rebasing: bytes[target]), as: UTF8.self) : nil
        return .head(WireRequestHead(length: scanner.index, bodyLength: bodyLength ?? 0, postTarget: postTarget))
    }

    /// The head as NIO's decoder and `HTTP1ToHTTPServerCodec` give it to the server: the first
    /// `Host` field becomes the authority and leaves the fields; names keep their case.
    public func request(in buffer: ByteBuffer) -> HTTPRequest {
        buffer.withUnsafeReadableBytes { bytes in
            var scanner = Scanner(bytes: bytes, limit: length, isTruncated: false)
            _ = scanner.skipToken()
            let method = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<scanner.index]), as: UTF8.self)
            scanner.index += 1
            let targetStart = scanner.index
            while scanner.peek() != UInt8(ascii: " ") { scanner.index += 1 }
            let path = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[targetStart..<scanner.index]), as: UTF8.self)
            _ = scanner.expect(" HTTP/1.1\r\n")
            var authority: String?
            var fields = HTTPFields()
            while scanner.peek() != UInt8(ascii: "\r") {
                let nameStart = scanner.index
                _ = scanner.skipToken()
                let name = nameStart..<scanner.index
                scanner.index += 1
                scanner.skipWhitespace()
                let valueStart = scanner.index
                var valueEnd = valueStart
                while let byte = scanner.peek(), byte != UInt8(ascii: "\r") {
                    scanner.index += 1
                    if byte != 0x20, byte != 0x09 { valueEnd = scanner.index }
                }
                scanner.index += 2
                let value = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[valueStart..<valueEnd]), as: UTF8.self)
                if authority == nil, name.count == 4, Self.equal(bytes, name, "host") {
                    authority = value
                    continue
                }
                let nameText = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[name]), as: UTF8.self)
                // Token characters only, so the name is valid (checked by `read`).
                fields.append(HTTPField(name: HTTPField.Name(nameText)!, value: value))
            }
            return HTTPRequest(
                method: HTTPRequest.Method(method)!, scheme: "http", authority: authority, path: path, headerFields: fields)
        }
    }

    // MARK: Bytes

    /// The methods read here; the rest (WebDAV's, CONNECT, unknown ones) are left to the decoder.
    private static let commonMethods: [StaticString] = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"]

    /// Whether `range` of `bytes` is `text`, by default ignoring the case of letters (`text`
    /// being a token, setting bit 5 folds only letters).
    private static func equal(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ text: StaticString, ignoringCase: Bool = true) -> Bool {
        guard range.count == text.utf8CodeUnitCount else { return false }
        let expected = text.utf8Start
        let fold: UInt8 = ignoringCase ? 0x20 : 0
        for offset in 0..<range.count where bytes[range.lowerBound + offset] | fold != expected[offset] | fold {
            return false
        }
        return true
    }

    /// A decimal number of at most 18 digits, nothing else; nil otherwise.
    private static func digits(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 18 else { return nil }
        var value = 0
        for index in range {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// A cursor over a head, up to `limit`.
    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        let limit: Int
        /// Whether more bytes may come before `limit` (the caller's maximum length) is reached.
        let isTruncated: Bool
        var index = 0

        init(bytes: UnsafeRawBufferPointer, limit: Int, isTruncated: Bool) {
            self.bytes = bytes
            self.limit = limit
            self.isTruncated = isTruncated
        }

        /// What a failed step means: a step that ran out of bytes waits for more, unless the head
        /// is already as long as it may be; a wrong byte is outside the subset.
        var verdict: Reading { index >= limit && isTruncated ? .incomplete : .unusual }

        func peek() -> UInt8? { index < limit ? bytes[index] : nil }

        mutating func expect(_ byte: UInt8) -> Bool {
            guard peek() == byte else { return false }
            index += 1
            return true
        }

        mutating func expect(_ text: StaticString) -> Bool {
            let expected = text.utf8Start
            for offset in 0..<text.utf8CodeUnitCount {
                guard expect(expected[offset]) else { return false }
            }
            return true
        }

        /// One or more token characters (RFC 9110 `tchar`).
        mutating func skipToken() -> Bool {
            let start = index
            while let byte = peek(), byte.isTokenCharacter { index += 1 }
            return index > start
        }

        mutating func skipWhitespace() {
            while let byte = peek(), byte == 0x20 || byte == 0x09 { index += 1 }
        }
    }
}
