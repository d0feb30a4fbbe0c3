import Foundation
import Hummingbird
import MockAudio
import MockFastAPI
import NIOCore
import SynapseCore
import SynapseMockKit
import Synchronization

/// The whisper-stt service (faster-whisper behind FastAPI, served by uvicorn).
///
/// Routes: `GET /health`, `POST /transcribe`, `POST /detect-language`, `POST /stream` (SSE). The
/// model "loads" lazily on the first inference request (`health.model_loaded` turns true), every
/// inference takes `processingTime` per second of audio on the injected `MockTime`, and answers come
/// from `WhisperTranscriber` (mock speech transcribes back to its text). As in the service, one lock
/// serialises model loading and inference: concurrent requests queue (`InferenceLock`).
public final class WhisperMock: MockServer {
    /// Timings and the reported model.
    public struct Configuration: Sendable {
        /// Model name in `/health`. Default `large-v3-turbo`.
        public var model: String
        /// Time the lazy model load takes on the first inference request. Default 0.
        public var modelLoadTime: Duration
        /// Inference time per second of audio (so a 2 s file with 8 s here takes 16 s). Default 0.
        public var processingTime: Duration
        /// Interval of `: ping` comments while `/stream` is transcribing. Default 15 s (sse-starlette).
        public var pingInterval: Duration

        public init(model: String = "large-v3-turbo", modelLoadTime: Duration = .zero, processingTime: Duration = .zero, pingInterval: Duration = .seconds(15))
        {
            self.model = model
            self.modelLoadTime = modelLoadTime
            self.processingTime = processingTime
            self.pingInterval = pingInterval
        }
    }

    public let configuration: Configuration
    public let time: MockTime
    let transcriber = WhisperTranscriber()
    private let modelLoaded = Mutex(false)
    /// One inference at a time, as in the service.
    let inference = InferenceLock()

    public init(configuration: Configuration = .init(), time: MockTime = .system) {
        self.configuration = configuration
        self.time = time
    }

    public var name: String { "whisper-stt" }
    public var backendType: String { "faster-whisper" }
    public var healthPath: String { "/health" }
    public var serverHeader: String? { "uvicorn" }

    /// Whether the lazy model load has happened (what `/health` reports).
    public var isModelLoaded: Bool { modelLoaded.withLock { $0 } }

    /// Unloads the model, as after a restart.
    public func reset() async { modelLoaded.withLock { $0 = false } }

    public func errorResponse(status: HTTPResponse.Status, message: String) -> Response {
        FastAPIResponse.detail(message, status: status)
    }

    public func addRoutes(to router: Router<MockRequestContext>) {
        router.add(
            middleware: FastAPIRoutingMiddleware(methods: ["/health": "GET", "/transcribe": "POST", "/detect-language": "POST", "/stream": "POST"]))
        router.get("/health") { [self] _, _ in
            FastAPIResponse.json(.obj(("status", .string("ok")), ("model_loaded", .bool(isModelLoaded)), ("model", .string(configuration.model))))
        }
        router.post("/transcribe") { [self] request, context in try await transcribe(request, context: context) }
        router.post("/detect-language") { [self] request, context in try await detectLanguage(request, context: context) }
        router.post("/stream") { [self] request, context in try await stream(request, context: context) }
    }

    // MARK: Endpoints

    func transcribe(_ request: Request, context: MockRequestContext) async throws -> Response {
        let form: FastAPIForm
        do { form = try await Self.form(request, context: context) } catch let error as FastAPIForm.MalformedBody {
            return FastAPIResponse.detail(error.detail, status: .badRequest)
        }
        var validation = FastAPIForm.Validation()
        let file = form.file("file", &validation)
        let language = form.text("language")
        let words = form.bool("word_timestamps", default: true, &validation)
        if let body = validation.body { return FastAPIResponse.json(body, status: .unprocessableContent) }
        let transcript = try await serialized { [self] in
            try await ensureModelLoaded()
            guard let file, let transcript = try? transcriber.transcribe(file, language: language) else { return nil as WhisperTranscript? }
            try await time.sleep(configuration.processingTime * transcript.duration)
            return transcript
        }
        guard let transcript else { return FastAPIResponse.internalServerError() }
        return FastAPIResponse.json(transcript.json(includeWords: words))
    }

    func detectLanguage(_ request: Request, context: MockRequestContext) async throws -> Response {
        let form: FastAPIForm
        do { form = try await Self.form(request, context: context) } catch let error as FastAPIForm.MalformedBody {
            return FastAPIResponse.detail(error.detail, status: .badRequest)
        }
        var validation = FastAPIForm.Validation()
        let file = form.file("file", &validation)
        if let body = validation.body { return FastAPIResponse.json(body, status: .unprocessableContent) }
        let detection = try await serialized { [self] in
            try await ensureModelLoaded()
            return file.flatMap { try? transcriber.detectLanguage($0) }
        }
        guard let detection else { return FastAPIResponse.internalServerError() }
        let languages = detection.ranking.map { JSONValue.obj(("code", .string($0)), ("name", .string($0))) }
        return FastAPIResponse.json(
            .obj(("detected_language", .string(detection.language)), ("probability", .double(detection.probability)), ("all_languages", .array(languages))))
    }

    func stream(_ request: Request, context: MockRequestContext) async throws -> Response {
        let form: FastAPIForm
        do { form = try await Self.form(request, context: context) } catch let error as FastAPIForm.MalformedBody {
            return FastAPIResponse.detail(error.detail, status: .badRequest)
        }
        var validation = FastAPIForm.Validation()
        let file = form.file("file", &validation)
        let language = form.text("language")
        if let body = validation.body { return FastAPIResponse.json(body, status: .unprocessableContent) }
        // The service loads the model before it starts the response; everything else happens after.
        try await serialized { [self] in try await ensureModelLoaded() }
        let transcript = file.flatMap { try? transcriber.transcribe($0, language: language) }
        let processing = configuration.processingTime * (transcript?.duration ?? 0)
        let events = WhisperEventStream(pingInterval: configuration.pingInterval, time: time, lock: inference)
        return Response(status: .ok, headers: WhisperEventStream.headers, body: events.body(transcript: transcript, processing: processing))
    }

    // MARK: Helpers

    /// Runs `work` in the queue of the service's one lock, in a task of its own: like the service's
    /// worker thread it runs to the end, holding the lock, even when the client has gone.
    private func serialized<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await Task { [inference] in try await inference.run(work) }.value
    }

    private func ensureModelLoaded() async throws {
        guard !isModelLoaded else { return }
        try await time.sleep(configuration.modelLoadTime)
        modelLoaded.withLock { $0 = true }
    }

    static func form(_ request: Request, context: MockRequestContext) async throws -> FastAPIForm {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return try FastAPIForm(contentType: request.headers[.contentType], body: Array(buffer.readableBytesView))
    }
}
