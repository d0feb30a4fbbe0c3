import Hummingbird
import NIOCore

/// Pauses a streamed response after N server-sent events, for a while or until the client gives up.
struct StallFault: Fault {
    let afterEvents: Int
    let duration: Duration?

    func apply(to request: Request, context: FaultContext, next: (Request) async throws -> Response) async throws -> Response {
        try await next(request).intercepted(
            by: Staller(afterEvents: afterEvents, duration: duration, time: context.time, channel: context.channel))
    }

    private struct Staller: BodyInterceptor {
        let afterEvents: Int
        let duration: Duration?
        let time: MockTime
        let channel: any Channel
        var scanner = EventBoundaryScanner()
        var stalled = false

        mutating func write(_ buffer: ByteBuffer, to writer: inout any ResponseBodyWriter) async throws {
            guard !stalled else { return try await writer.write(buffer) }
            let split = afterEvents == 0 ? 0 : scanner.offset(completingEvent: afterEvents, in: buffer.readableBytesView)
            guard let split else { return try await writer.write(buffer) }
            var rest = buffer
            if split > 0, let head = rest.readSlice(length: split) { try await writer.write(head) }
            stalled = true
            try await pause()
            if rest.readableBytes > 0 { try await writer.write(rest) }
        }

        private func pause() async throws {
            if let duration {
                try await time.sleep(duration)
            } else {
                await ConnectionControl.waitForClose(channel, parkedOn: time)
                throw ConnectionAbandoned()
            }
        }
    }
}
