import Foundation
import Hummingbird
import NIOCore
import SynapseCore

/// Reads a streamed multipart upload just far enough to find one text field, so the gateway can
/// check it before contacting the backend (`/audio/convert`'s `output_format`). What was read is
/// spooled (memory, then a temporary file) and sent first; the rest still streams.
struct FormFieldPeek {
    /// The field's value (nil when the form has no such field) and the body to forward.
    struct Result {
        var value: String?
        var body: PeekedBody
    }

    static func peek(field: String, in body: RequestBody, boundary: String, limit: Int, memoryLimit: Int) async throws -> Result {
        var parser: MultipartParser
        do { parser = try MultipartParser(boundary: boundary) } catch {
            throw GatewayError.invalidRequest("multipart boundary is not valid", code: "invalid_multipart")
        }
        let spool = BodySpool(memoryLimit: memoryLimit)
        var iterator = body.makeAsyncIterator()
        var inField = false
        var value: [UInt8] = []
        do {
            while let chunk = try await iterator.next() {
                try spool.append(chunk)
                if spool.count > limit { throw GatewayError.payloadTooLarge(limit: limit) }
                for event in try parser.feed(chunk.readableBytesView) {
                    switch event {
                    case .partStart(let head): inField = head.name == field && head.filename == nil
                    case .bodyBytes(let bytes) where inField:
                        value += bytes
                        if value.count > 1024 { throw GatewayError.invalidRequest("form field \(field) is too long") }
                    case .partEnd where inField:
                        return Result(value: String(decoding: value, as: UTF8.self), body: PeekedBody(spool: spool, rest: iterator))
                    case .end:
                        return Result(value: nil, body: PeekedBody(spool: spool, rest: iterator))
                    default: break
                    }
                }
            }
            try parser.finish()
        } catch let error as MultipartError {
            spool.discard()
            throw GatewayError.invalidRequest("malformed multipart body: \(error.code)", code: "invalid_multipart")
        } catch {
            spool.discard()
            throw error
        }
        return Result(value: nil, body: PeekedBody(spool: spool, rest: iterator))
    }
}

/// The spooled prefix followed by the rest of the client's stream.
struct PeekedBody: AsyncSequence, @unchecked Sendable {
    // `@unchecked Sendable`: the iterator is handed over once, to the single upload that consumes it.
    typealias Element = ByteBuffer
    let spool: BodySpool
    let rest: RequestBody.AsyncIterator

    struct AsyncIterator: AsyncIteratorProtocol {
        var replay: BodySpool.Replay.AsyncIterator
        var rest: RequestBody.AsyncIterator
        let spool: BodySpool
        var replaying = true

        mutating func next() async throws -> ByteBuffer? {
            if replaying {
                if let chunk = try await replay.next() { return chunk }
                replaying = false
                spool.discard()
            }
            return try await rest.next()
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(replay: spool.replay().makeAsyncIterator(), rest: rest, spool: spool)
    }
}
