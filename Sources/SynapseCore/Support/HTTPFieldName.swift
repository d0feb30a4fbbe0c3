/// RFC 9110's field names: one or more token characters (`tchar`). Header names a user gives
/// (a HAR's request headers, a scenario step's `headers`, `--header`, `OTEL_EXPORTER_OTLP_HEADERS`)
/// are checked with it where they are read, with an error naming where: NIO's `HTTPHeaders.add`
/// traps on a name outside ASCII, and HTTP clients refuse other non-token names only when sending.
public enum HTTPFieldName {
    public static func isValid(_ name: some StringProtocol) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(isTokenCharacter)
    }

    /// RFC 9110's `tchar`; inlinable, as the gateway's parsers call it for every byte of a name.
    @inlinable
    public static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        // ! # $ % & ' * + - . ^ _ ` | ~
        case 33, 35, 36, 37, 38, 39, 42, 43, 45, 46, 94, 95, 96, 124, 126: true
        default: false
        }
    }
}
