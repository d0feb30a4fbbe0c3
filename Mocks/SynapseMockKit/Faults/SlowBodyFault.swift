import Hummingbird
import NIOCore

/// Sends the response body at a fixed rate: slices of a tenth of a second each, paced on the mock's clock.
struct SlowBodyFault: Fault {
    let bytesPerSecond: Int

    func apply(to request: Request, context: FaultContext, next: (Request) async throws -> Response) async throws -> Response {
        try await next(request).intercepted(by: Pacer(bytesPerSecond: bytesPerSecond, time: context.time))
    }

    private struct Pacer: BodyInterceptor {
        let bytesPerSecond: Int
        let time: MockTime

        mutating func write(_ buffer: ByteBuffer, to writer: inout any ResponseBodyWriter) async throws {
            let sliceSize = max(1, bytesPerSecond / 10)
            var remaining = buffer
            while let slice = remaining.readSlice(length: min(sliceSize, remaining.readableBytes)), slice.readableBytes > 0 {
                try await time.sleep(.seconds(Double(slice.readableBytes) / Double(bytesPerSecond)))
                try await writer.write(slice)
            }
        }
    }
}
