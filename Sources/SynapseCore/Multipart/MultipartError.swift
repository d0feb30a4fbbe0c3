/// Why a `multipart/form-data` body could not be parsed.
public enum MultipartError: Error, Equatable, Sendable {
    /// The boundary is empty, longer than 70 bytes, or not ASCII (RFC 2046 §5.1.1).
    case invalidBoundary
    /// The body ended without ever containing the first `--boundary` delimiter.
    case boundaryNotFound
    /// A delimiter line was followed by something other than `--` or a line break.
    case malformedDelimiter
    /// A part header line had no `:` or was not UTF-8.
    case malformedHeader(String)
    /// A part's header block grew past the limit without an empty line ending it.
    case headersTooLarge(limit: Int)
    /// The body ended before the closing `--boundary--` delimiter.
    case truncated

    /// A stable identifier for logs and JSON errors.
    public var code: String {
        switch self {
        case .invalidBoundary: "invalid_boundary"
        case .boundaryNotFound: "boundary_not_found"
        case .malformedDelimiter: "malformed_delimiter"
        case .malformedHeader: "malformed_header"
        case .headersTooLarge: "headers_too_large"
        case .truncated: "truncated"
        }
    }
}
