import Hummingbird
import NIOCore
import SynapseCore

/// Answers with a broken body: JSON that does not parse, garbage bytes, or the wrong Content-Type.
struct MalformedFault: Fault {
    let variant: FaultSpec.MalformedVariant

    /// Cut off mid-object, so every JSON parser rejects it.
    static let invalidJSON = #"{"object":"error","data":[{"index":0,"#

    func apply(to request: Request, context: FaultContext, next: (Request) async throws -> Response) async throws -> Response {
        var response = try await next(request)
        switch variant {
        case .invalidJSON:
            response.headers[.contentType] = "application/json"
            response.body = ResponseBody(byteBuffer: ByteBuffer(string: Self.invalidJSON))
        case .garbage:
            // Deterministic for a given rule seed; 0x80…0xFF bytes are never valid UTF-8 on their own.
            var random = context.random
            let bytes = (0..<256).map { _ in UInt8(truncatingIfNeeded: random.next()) | 0x80 }
            response.body = ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        case .wrongContentType:
            response.headers[.contentType] = "text/html; charset=utf-8"
        }
        return response
    }
}
