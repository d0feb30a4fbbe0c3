import HTTPTypes
import NIOHTTP1

/// A request whose HTTP framing is broken (a chunk size that is not hex or overflows, a missing
/// CRLF after a chunk, …) is the client's fault: NIO's parser throws `HTTPParserError` from the
/// body stream, wherever the body is being read — a gateway route, or AsyncHTTPClient streaming
/// it to a backend. It is answered 400 and the connection closed; it is never counted against a
/// backend, retried, or reported as a 500.
extension GatewayError {
    /// 400 `invalid_request`, "malformed request framing", with `Connection: close`.
    static func malformedFraming() -> GatewayError {
        var error = GatewayError.invalidRequest("malformed request framing: the request's chunked encoding or length is invalid")
        error.headers[.connection] = "close"
        return error
    }

    /// Whether `error` comes from parsing the client's request bytes.
    static func isClientFramingError(_ error: any Error) -> Bool {
        error is HTTPParserError
    }
}
