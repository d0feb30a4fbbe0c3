import HTTPTypes
import Hummingbird
import NIOCore
import SynapseCore

/// The one way the gateway's own routes answer JSON: `application/json` with its length.
extension Response {
    /// `body` as a JSON answer.
    static func json(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json", .contentLength: String(body.readableBytes)],
            body: ResponseBody(byteBuffer: body))
    }

    /// `value` written in `style`: compact, or `.pythonCompact` where a route answers as the
    /// original's FastAPI app did.
    static func json(_ value: JSONValue, style: JSONStyle = .compact, status: HTTPResponse.Status = .ok) -> Response {
        json(ByteBuffer(bytes: value.bytes(style)), status: status)
    }
}
