import Hummingbird
import NIOCore

/// Sees each chunk of a response body on its way to the client and decides what is written:
/// the basis of the faults that slow, pause or cut a response. One copy per response, so it can
/// keep counters as plain stored properties.
protocol BodyInterceptor: Sendable {
    /// Handles one chunk the mock wrote; forwards (some of) it to `writer`.
    mutating func write(_ buffer: ByteBuffer, to writer: inout any ResponseBodyWriter) async throws
    /// Handles the end of the mock's body; by default ends the response properly.
    mutating func finish(_ trailers: HTTPFields?, writer: inout any ResponseBodyWriter) async throws
}

extension BodyInterceptor {
    mutating func finish(_ trailers: HTTPFields?, writer: inout any ResponseBodyWriter) async throws {
        try await writer.finish(trailers)
    }
}

/// A `ResponseBodyWriter` that routes every call through a `BodyInterceptor`.
private struct InterceptingWriter<Interceptor: BodyInterceptor>: ResponseBodyWriter {
    var inner: any ResponseBodyWriter
    var interceptor: Interceptor

    // The interceptor and the inner writer are moved out and back so that both can be mutated
    // in one call without overlapping access to `self`.
    mutating func write(_ buffer: ByteBuffer) async throws {
        var writer = inner
        defer { inner = writer }
        try await interceptor.write(buffer, to: &writer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        var writer = inner
        try await interceptor.finish(trailingHeaders, writer: &writer)
    }
}

extension Response {
    /// This response with its body passed through `interceptor`; headers (including
    /// Content-Length) are kept, so a cut body really is shorter than announced.
    func intercepted(by interceptor: some BodyInterceptor) -> Response {
        var response = self
        let original = self.body
        response.body = ResponseBody(contentLength: original.contentLength) { writer in
            try await original.write(InterceptingWriter(inner: writer, interceptor: interceptor))
        }
        return response
    }
}

/// Counts server-sent events (blocks ended by a blank line) across chunk boundaries.
struct EventBoundaryScanner: Sendable {
    /// Events completed so far.
    private(set) var events = 0
    /// The last bytes seen, to spot `\n\n` or `\n\r\n` split across chunks.
    private var previous: (UInt8, UInt8) = (0, 0)

    /// Reads `bytes` up to the end of the `target`-th event; returns how many bytes of `bytes` that
    /// takes, or nil if the chunk ends first.
    mutating func offset(completingEvent target: Int, in bytes: ByteBufferView) -> Int? {
        var consumed = 0
        for byte in bytes {
            consumed += 1
            if byte == 10, previous.1 == 10 || (previous.1 == 13 && previous.0 == 10) {
                events += 1
                previous = (0, 0)
                if events >= target { return consumed }
                continue
            }
            previous = (previous.1, byte)
        }
        return nil
    }
}
