import Hummingbird
import NIOCore
import SynapseCore

/// Cuts the response after N body bytes or N server-sent events and closes the connection
/// without a proper end (fewer bytes than Content-Length, or no final chunk).
struct TruncateFault: Fault {
    let point: FaultSpec.TruncatePoint

    func apply(to request: Request, context: FaultContext, next: (Request) async throws -> Response) async throws -> Response {
        try await next(request).intercepted(by: Cutter(point: point, channel: context.channel))
    }

    private struct Cutter: BodyInterceptor {
        let point: FaultSpec.TruncatePoint
        let channel: any Channel
        var sent = 0
        var scanner = EventBoundaryScanner()

        mutating func write(_ buffer: ByteBuffer, to writer: inout any ResponseBodyWriter) async throws {
            let keep: Int?
            switch point {
            case .afterBytes(let limit):
                keep = sent + buffer.readableBytes > limit ? max(0, limit - sent) : nil
            case .afterEvents(let limit):
                keep = limit == 0 ? 0 : scanner.offset(completingEvent: limit, in: buffer.readableBytesView)
            }
            guard let keep else {
                sent += buffer.readableBytes
                try await writer.write(buffer)
                return
            }
            if keep > 0 { try await writer.write(buffer.getSlice(at: buffer.readerIndex, length: keep)!) }
            await ConnectionControl.abandon(channel)
            throw ConnectionAbandoned()
        }

        mutating func finish(_ trailers: HTTPFields?, writer: inout any ResponseBodyWriter) async throws {
            // The body was shorter than the cut point: still end without the proper terminator.
            await ConnectionControl.abandon(channel)
            throw ConnectionAbandoned()
        }
    }
}
