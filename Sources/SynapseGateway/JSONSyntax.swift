/// Checks that bytes are one well-formed JSON document (RFC 8259), without building anything.
///
/// The gateway only needs to know whether a request body is JSON before forwarding it unchanged;
/// a full decode would allocate for every value on the hot path. So this scanner stays beside
/// Core's `JSONValue.parse` (the one general parser): same grammar and depth limit, but it builds
/// nothing. Its messages ("… at byte N") are the gateway's 400 text and stay as they are.
enum JSONSyntax {
    /// nil when `bytes` is valid JSON; otherwise what is wrong and where.
    static func problem(in bytes: UnsafeRawBufferPointer) -> String? {
        var scanner = Scanner(bytes: bytes)
        do throws(Scanner.Failure) {
            scanner.skipSpace()
            try scanner.value(depth: 0)
            scanner.skipSpace()
            guard scanner.index == bytes.count else { throw Scanner.Failure(index: scanner.index, reason: "unexpected data after the document") }
            return nil
        } catch {
            return "\(error.reason) at byte \(error.index)"
        }
    }

    private struct Scanner {
        struct Failure: Error {
            var index: Int
            var reason: String
        }
        let bytes: UnsafeRawBufferPointer
        var index = 0
        static let maxDepth = 512

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
        }

        func fail(_ reason: String) -> Failure { Failure(index: index, reason: reason) }

        mutating func value(depth: Int) throws(Failure) {
            guard depth < Self.maxDepth else { throw fail("nested too deeply") }
            guard let byte = current else { throw fail("unexpected end") }
            switch byte {
            case UInt8(ascii: "{"): try object(depth: depth)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw fail("unexpected character")
            }
        }

        mutating func object(depth: Int) throws(Failure) {
            index += 1
            skipSpace()
            if current == UInt8(ascii: "}") {
                index += 1
                return
            }
            while true {
                guard current == UInt8(ascii: "\"") else { throw fail("expected a string key") }
                try string()
                skipSpace()
                guard current == UInt8(ascii: ":") else { throw fail("expected ':'") }
                index += 1
                skipSpace()
                try value(depth: depth + 1)
                skipSpace()
                switch current {
                case UInt8(ascii: ","):
                    index += 1
                    skipSpace()
                case UInt8(ascii: "}"):
                    index += 1
                    return
                default: throw fail("expected ',' or '}'")
                }
            }
        }

        mutating func array(depth: Int) throws(Failure) {
            index += 1
            skipSpace()
            if current == UInt8(ascii: "]") {
                index += 1
                return
            }
            while true {
                try value(depth: depth + 1)
                skipSpace()
                switch current {
                case UInt8(ascii: ","):
                    index += 1
                    skipSpace()
                case UInt8(ascii: "]"):
                    index += 1
                    return
                default: throw fail("expected ',' or ']'")
                }
            }
        }

        mutating func string() throws(Failure) {
            index += 1
            while let byte = current {
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return
                case UInt8(ascii: "\\"):
                    index += 1
                    guard let escaped = current else { throw fail("unexpected end") }
                    if escaped == UInt8(ascii: "u") {
                        for _ in 0..<4 {
                            index += 1
                            guard let hex = current, (0x30...0x39).contains(hex) || (0x41...0x46).contains(hex) || (0x61...0x66).contains(hex)
                            else { throw fail("bad \\u escape") }
                        }
                    } else if !"\"\\/bfnrt".utf8.contains(escaped) {
                        throw fail("bad escape")
                    }
                    index += 1
                case 0..<0x20: throw fail("control character in string")
                default: index += 1
                }
            }
            throw fail("unterminated string")
        }

        mutating func number() throws(Failure) {
            if current == UInt8(ascii: "-") { index += 1 }
            guard let first = current, (0x30...0x39).contains(first) else { throw fail("bad number") }
            index += 1
            if first != UInt8(ascii: "0") { digits() }
            if current == UInt8(ascii: ".") {
                index += 1
                guard let digit = current, (0x30...0x39).contains(digit) else { throw fail("bad number") }
                digits()
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard let digit = current, (0x30...0x39).contains(digit) else { throw fail("bad number") }
                digits()
            }
        }

        mutating func digits() {
            while let byte = current, (0x30...0x39).contains(byte) { index += 1 }
        }

        mutating func literal(_ word: StaticString) throws(Failure) {
            let expected = UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            guard index + expected.count <= bytes.count, zip(expected, bytes[index..<(index + expected.count)]).allSatisfy({ $0 == $1 })
            else { throw fail("unexpected character") }
            index += expected.count
        }
    }
}
