import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SynapseCore

/// What the gateway checks about a request body before contacting a backend, and the body it
/// then sends. JSON bodies are small and checked whole; multipart uploads are streamed.
enum RequestBodyCheck {
    /// Thrown from inside a streamed upload when it outgrows the limit.
    struct TooLarge: Error { var limit: Int }

    /// Media types accepted on JSON routes (besides any `+json`). Not `text/plain` nor
    /// `application/x-www-form-urlencoded`: a browser sends those cross-site without asking
    /// first, and `curl -d` needs `-H 'Content-Type: application/json'`. A body with no
    /// Content-Type is still read as JSON (scripts that set none keep working).
    static let jsonMediaTypes: Set<String> = ["application/json"]

    static func prepare(
        _ request: Request, kind: ForwardRoute.BodyKind, limit: Int, spoolMemoryLimit: Int,
        presentation: inout ResponsePresentation
    ) async throws -> UpstreamBody {
        switch kind {
        case .none:
            return .none
        case .json:
            return try await json(request, limit: limit)
        case .multipart:
            let body = try multipart(request, limit: limit)
            guard presentation == .convertedAudio else { return body }
            // `/audio/convert`: the format decides the answer's media type, and a bad one must be
            // refused before the backend is contacted.
            let boundary = parameter("boundary", in: request.headers[.contentType] ?? "") ?? ""
            let peek = try await FormFieldPeek.peek(
                field: "output_format", in: request.body, boundary: boundary, limit: limit,
                memoryLimit: spoolMemoryLimit)
            let format: AudioFormat
            if let value = peek.value {
                guard let parsed = AudioFormat(conversionField: value) else {
                    peek.body.spool.discard()
                    throw GatewayError.invalidRequest(
                        "output_format must be one of wav, mp3, flac, ogg (got '\(value)')", code: "invalid_output_format")
                }
                format = parsed
            } else {
                format = .wav
            }
            presentation = format.presentation
            let length = request.headers[.contentLength].flatMap(Int64.init)
            return .stream(BodySource(peek.body), length: length)
        }
    }

    private static func json(_ request: Request, limit: Int) async throws -> UpstreamBody {
        if let contentType = request.headers[.contentType] {
            let media = mediaType(contentType)
            guard isJSON(media) else {
                throw GatewayError.unsupportedMediaType("Expected a JSON body (Content-Type: application/json), got \(media)")
            }
        }
        let body = try await JSONBodyLimit.collect(request.body, contentLength: request.headers[.contentLength], limit: limit)
        guard body.readableBytes > 0 else { throw GatewayError.invalidRequest("Request body is empty; expected a JSON object", code: "empty_body") }
        if let problem = body.withUnsafeReadableBytes({ JSONSyntax.problem(in: $0) }) {
            throw GatewayError.invalidRequest("Request body is not valid JSON: \(problem)", code: "invalid_json")
        }
        return .bytes(body)
    }

    private static func multipart(_ request: Request, limit: Int) throws -> UpstreamBody {
        guard let contentType = request.headers[.contentType] else {
            throw GatewayError.unsupportedMediaType("Expected multipart/form-data with a file upload, got no Content-Type")
        }
        guard mediaType(contentType) == "multipart/form-data" else {
            throw GatewayError.unsupportedMediaType("Expected multipart/form-data, got \(mediaType(contentType))")
        }
        guard let boundary = parameter("boundary", in: contentType), !boundary.isEmpty else {
            throw GatewayError.invalidRequest("multipart/form-data without a boundary parameter", code: "missing_boundary")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init) {
            // The server frames the body by its length, so it cannot outgrow what was checked.
            return .stream(BodySource(request.body), length: Int64(length))
        }
        return .stream(BodySource(LimitedBody(base: request.body, limit: limit)), length: nil)
    }

    /// Most clients read no answer until they have sent their whole body, so a refused body of a
    /// modest size is read and dropped before answering; a larger one gets its answer and the
    /// connection is closed.
    static let drainLimit = 16 << 20

    static func drainIfModest(_ body: RequestBody, length: Int?) async throws {
        guard let length, length <= drainLimit else { return }
        for try await _ in body {}
    }

    /// Whether a JSON route accepts `media` (from `mediaType(_:)`) as its body's type.
    static func isJSON(_ media: String) -> Bool {
        jsonMediaTypes.contains(media) || media.hasSuffix("+json")
    }

    /// `multipart/form-data; boundary=x` → `multipart/form-data`. On the hot path, so the common
    /// exact spelling is recognised without allocating.
    static func mediaType(_ contentType: String) -> String {
        if contentType == "application/json" { return contentType }
        return contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }

    /// A parameter of a header value, unquoted.
    static func parameter(_ name: String, in value: String) -> String? {
        for piece in value.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            var parameter = pair[1].trimmingCharacters(in: .whitespaces)
            if parameter.hasPrefix("\""), parameter.hasSuffix("\""), parameter.count >= 2 { parameter = String(parameter.dropFirst().dropLast()) }
            return parameter
        }
        return nil
    }
}

/// A request body stream that fails once more than `limit` bytes have passed.
struct LimitedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let limit: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int
        var seen = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else { return nil }
            seen += chunk.readableBytes
            if seen > limit { throw RequestBodyCheck.TooLarge(limit: limit) }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), limit: limit) }
}
