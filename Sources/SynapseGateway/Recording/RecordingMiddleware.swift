import HTTPTypes
import Hummingbird
import NIOCore
import SynapseCore

/// Tees sampled exchanges into the `Recorder`, just inside `RequestTelemetry` (so the request id
/// is known and every answer, errors included, passes by).
///
/// ```
/// request ─▶ recorder.isRecording? ── no ──▶ next (untouched: one atomic load)
///                 │ yes, sampled, route admitted
///                 ▼
///   request body: RecordingRequestBody ─▶ tap.requestBytes … requestEnd
///   response head ─▶ tap.responseHead;  body: RecordingWriter ─▶ tap.responseBytes … end
/// ```
struct RecordingMiddleware: RouterMiddleware {
    typealias Context = GatewayContext

    let recorder: Recorder
    let index: RouteIndex
    /// Registered route → the path the gateway calls on its backend (`/stt/transcribe` → `/transcribe`).
    let upstreamPaths: [String: String]

    func handle(_ request: Request, context: GatewayContext, next: (Request, GatewayContext) async throws -> Response) async throws -> Response {
        guard recorder.isRecording else { return try await next(request, context) }
        let route = RouteIndex.servedRoute(request, context: context)
        let backend = route.flatMap { index.backend(of: $0, method: request.method) }
        let upstreamPath = route.flatMap { upstreamPaths[$0] }
        guard let tap = recorder.tap(request, route: route, backend: backend, upstreamPath: upstreamPath, requestID: context.requestID) else {
            return try await next(request, context)
        }
        var request = request
        request.body = RequestBody(asyncSequence: RecordingRequestBody(base: request.body, tap: tap))
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            tap.abort()
            throw error
        }
        tap.responseHead(response)
        let original = response.body
        response.body = ResponseBody(contentLength: original.contentLength) { writer in
            do {
                try await original.write(RecordingWriter(base: writer, tap: tap))
            } catch {
                tap.abort()
                throw error
            }
        }
        return response
    }
}

/// The request body, each chunk also handed to the tap as it is read.
struct RecordingRequestBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let tap: RecordingTap

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let tap: RecordingTap

        mutating func next() async throws -> ByteBuffer? {
            let chunk = try await base.next()
            if let chunk { tap.requestBytes(chunk) } else { tap.requestEnd() }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), tap: tap)
    }
}

/// The response body writer, each chunk also handed to the tap once it was written.
struct RecordingWriter: ResponseBodyWriter {
    var base: any ResponseBodyWriter
    let tap: RecordingTap

    mutating func write(_ buffer: ByteBuffer) async throws {
        // Handed over first: the offset of an event is when the gateway sent it on.
        tap.responseBytes(buffer)
        try await base.write(buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await base.finish(trailingHeaders)
        tap.end()
    }
}
