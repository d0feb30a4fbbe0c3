import Foundation
import Hummingbird
import MockAudio
import MockFastAPI
import NIOCore
import SynapseCore
import SynapseMockKit

/// The deepfilter-audio service (DeepFilterNet3 + ffmpeg behind FastAPI).
///
/// Routes: `GET /health`, `POST /denoise` (any WAV in; 48 kHz mono 16-bit WAV of the same duration
/// out, after `AudioConverter.denoise`'s noise gate), `POST /convert` (`output_format` wav, mp3
/// (MPEG Layer III), flac or ogg (Ogg Vorbis); optional `sample_rate`, `bitrate` such as `128k`).
/// Input is anything `AudioDecoder` reads (libsndfile: WAV, AIFF, FLAC, Ogg Vorbis, Ogg Opus, MP3…);
/// other input gives the plain 500 of an unhandled decode error, an unknown format a 400 detail.
public struct DeepFilterMock: MockServer {
    public struct Configuration: Sendable {
        /// Processing time per second of input audio, on `MockTime`. Default 0.
        public var processingTime: Duration

        public init(processingTime: Duration = .zero) {
            self.processingTime = processingTime
        }
    }

    public let configuration: Configuration
    public let time: MockTime

    public init(configuration: Configuration = .init(), time: MockTime = .system) {
        self.configuration = configuration
        self.time = time
    }

    public var name: String { "deepfilter-audio" }
    public var backendType: String { "deepfilter" }
    public var healthPath: String { "/health" }
    public var serverHeader: String? { "uvicorn" }

    public func errorResponse(status: HTTPResponse.Status, message: String) -> Response {
        FastAPIResponse.detail(message, status: status)
    }

    public func addRoutes(to router: Router<MockRequestContext>) {
        router.add(middleware: FastAPIRoutingMiddleware(methods: ["/health": "GET", "/denoise": "POST", "/convert": "POST"]))
        router.get("/health") { _, _ in
            FastAPIResponse.json(.obj(("status", .string("ok")), ("model", .string("DeepFilterNet3")), ("device", .string("cpu"))))
        }
        router.post("/denoise") { request, context in try await denoise(request, context: context) }
        router.post("/convert") { request, context in try await convert(request, context: context) }
    }

    func denoise(_ request: Request, context: MockRequestContext) async throws -> Response {
        let form: FastAPIForm
        do { form = try await Self.form(request, context: context) } catch let error as FastAPIForm.MalformedBody {
            return FastAPIResponse.detail(error.detail, status: .badRequest)
        }
        var validation = FastAPIForm.Validation()
        let file = form.file("file", &validation)
        if let body = validation.body { return FastAPIResponse.json(body, status: .unprocessableContent) }
        guard let file, let wav = AudioDecoder.decode(file) else { return FastAPIResponse.internalServerError() }
        guard AudioConverter.fits(wav, rate: 48_000, channels: 1) else { return FastAPIResponse.internalServerError() }
        try await time.sleep(configuration.processingTime * wav.duration)
        guard let denoised = try? AudioConverter.denoise(wav) else { return FastAPIResponse.internalServerError() }
        return Self.audio(denoised, contentType: "audio/wav", filename: "denoised.wav")
    }

    func convert(_ request: Request, context: MockRequestContext) async throws -> Response {
        let form: FastAPIForm
        do { form = try await Self.form(request, context: context) } catch let error as FastAPIForm.MalformedBody {
            return FastAPIResponse.detail(error.detail, status: .badRequest)
        }
        var validation = FastAPIForm.Validation()
        let file = form.file("file", &validation)
        let formatName = form.text("output_format") ?? "wav"
        let sampleRate = form.int("sample_rate", &validation)
        let bitrateText = form.text("bitrate")
        if let body = validation.body { return FastAPIResponse.json(body, status: .unprocessableContent) }
        // Lower-cased, not trimmed: the gateway has already trimmed what it sends.
        guard let format = AudioFormat(rawValue: formatName.lowercased()), AudioFormat.conversionOutputs.contains(format) else {
            return FastAPIResponse.detail("Unsupported output format: \(formatName)", status: .badRequest)
        }
        guard let file, let wav = AudioDecoder.decode(file) else { return FastAPIResponse.internalServerError() }
        var bitrate: Int?
        if let bitrateText {
            guard let parsed = Self.kilobits(bitrateText) else { return FastAPIResponse.internalServerError() }
            bitrate = parsed
        }
        try await time.sleep(configuration.processingTime * wav.duration)
        guard let bytes = try? AudioConverter.convert(wav, to: format, sampleRate: sampleRate, bitrate: bitrate) else {
            return FastAPIResponse.internalServerError()
        }
        return Self.audio(bytes, contentType: format.mediaType, filename: "converted.\(format.rawValue)")
    }

    /// ffmpeg's bitrate syntax in kbit/s: `128k`, `128K`, `1M` or plain bits per second (`128000`).
    static func kilobits(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        // `Int(finite:)`: `1e300k`, `infk` or `nan` are refused (a plain `Int(...)` traps on them).
        if trimmed.hasSuffix("k"), let value = Double(trimmed.dropLast()) { return Int(finite: value) }
        if trimmed.hasSuffix("m"), let value = Double(trimmed.dropLast()) { return Int(finite: value * 1000) }
        if let value = Double(trimmed) { return Int(finite: value / 1000) }
        return nil
    }

    static func audio(_ bytes: [UInt8], contentType: String, filename: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: contentType, .contentDisposition: "attachment; filename=\(filename)"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func form(_ request: Request, context: MockRequestContext) async throws -> FastAPIForm {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return try FastAPIForm(contentType: request.headers[.contentType], body: Array(buffer.readableBytesView))
    }
}
