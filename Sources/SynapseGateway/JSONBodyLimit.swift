import HTTPTypes
import Hummingbird
import NIOCore
import SynapseCore

/// Reads a JSON request body within a size limit, refusing it as early as possible.
///
/// | body | answer |
/// |---|---|
/// | `Content-Length` over the limit | 413 before a byte of the body is read |
/// | chunked, growing past the limit | 413 as soon as the limit is crossed; nothing more is kept |
///
/// The refused rest of a body declared at most `RequestBodyCheck.drainLimit` long is read and
/// dropped (most clients read no answer before they have sent everything); otherwise the 413
/// says `Connection: close` and the connection closes after it, so the rest is never read.
enum JSONBodyLimit {
    /// The whole body, or `GatewayError.payloadTooLarge` (413 `payload_too_large`).
    static func collect<Body: AsyncSequence>(_ body: Body, contentLength: String?, limit: Int) async throws -> ByteBuffer
    where Body.Element == ByteBuffer {
        let declared = contentLength.flatMap(Int.init)
        var iterator = body.makeAsyncIterator()
        if let declared, declared > limit {
            throw try await refusal(&iterator, declared: declared, limit: limit)
        }
        var collected = ByteBuffer()
        while let chunk = try await iterator.next() {
            guard collected.readableBytes + chunk.readableBytes <= limit else {
                throw try await refusal(&iterator, declared: declared, limit: limit)
            }
            // The first chunk is usually the whole body: keep it rather than copying it.
            if collected.readableBytes == 0 { collected = chunk } else { collected.writeImmutableBuffer(chunk) }
        }
        return collected
    }

    /// The 413; drains a modest declared body first, else asks for the connection to close.
    private static func refusal<Iterator: AsyncIteratorProtocol>(_ iterator: inout Iterator, declared: Int?, limit: Int) async throws
        -> GatewayError where Iterator.Element == ByteBuffer
    {
        var error = GatewayError.payloadTooLarge(limit: limit)
        if let declared, declared <= RequestBodyCheck.drainLimit {
            while try await iterator.next() != nil {}
        } else {
            error.headers[.connection] = "close"
        }
        return error
    }
}

extension ModelsRoutes {
    /// The JSON body of a `/models*` request, within `gateway.maxJSONBodySize`.
    func jsonBody(_ request: Request) async throws -> ByteBuffer {
        try await JSONBodyLimit.collect(
            request.body, contentLength: request.headers[.contentLength],
            limit: models.config.gateway.maxJSONBodySize)
    }
}
