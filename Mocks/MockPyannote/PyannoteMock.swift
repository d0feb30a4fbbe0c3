import Foundation
import Hummingbird
import MockAudio
import MockFastAPI
import NIOCore
import SynapseCore
import SynapseMockKit

/// The pyannote-speaker service (pyannote.audio 3.1 behind FastAPI); response shapes as the
/// gateway's copied models (`DiarizationResult`, `VerificationResult`).
///
/// Routes: `GET /health`, `POST /diarize` (`file`, optional integer `num_speakers`,
/// `min_speakers`, `max_speakers`), `POST /verify` (`file1`, `file2`). Answers come from
/// `SpeakerAnalyzer`; input `AudioDecoder` cannot read (it takes anything libsndfile reads: WAV,
/// FLAC, Ogg Vorbis and Opus, MP3, AIFF…) gives the plain 500, bad fields FastAPI's 422.
public struct PyannoteMock: MockServer {
    public struct Configuration: Sendable {
        /// Similarity at or above which `/verify` says "same speaker". Default 0.5.
        public var threshold: Double
        /// Processing time per second of audio, on `MockTime`. Default 0.
        public var processingTime: Duration

        public init(threshold: Double = 0.5, processingTime: Duration = .zero) {
            self.threshold = threshold
            self.processingTime = processingTime
        }
    }

    public let configuration: Configuration
    public let time: MockTime
    let analyzer = SpeakerAnalyzer()

    public init(configuration: Configuration = .init(), time: MockTime = .system) {
        self.configuration = configuration
        self.time = time
    }

    public var name: String { "pyannote-speaker" }
    public var backendType: String { "pyannote" }
    public var healthPath: String { "/health" }
    public var serverHeader: String? { "uvicorn" }

    public func errorResponse(status: HTTPResponse.Status, message: String) -> Response {
        FastAPIResponse.detail(message, status: status)
    }

    public func addRoutes(to router: Router<MockRequestContext>) {
        router.add(middleware: FastAPIRoutingMiddleware(methods: ["/health": "GET", "/diarize": "POST", "/verify": "POST"]))
        router.get("/health") { _, _ in
            FastAPIResponse.json(.obj(("status", .string("ok")), ("model", .string("pyannote/speaker-diarization-3.1"))))
        }
        router.post("/diarize") { request, context in try await diarize(request, context: context) }
        router.post("/verify") { request, context in try await verify(request, context: context) }
    }

    func diarize(_ request: Request, context: MockRequestContext) async throws -> Response {
        let form: FastAPIForm
        do { form = try await Self.form(request, context: context) } catch let error as FastAPIForm.MalformedBody {
            return FastAPIResponse.detail(error.detail, status: .badRequest)
        }
        var validation = FastAPIForm.Validation()
        let file = form.file("file", &validation)
        let exact = form.int("num_speakers", &validation)
        let lower = form.int("min_speakers", &validation)
        let upper = form.int("max_speakers", &validation)
        if let body = validation.body { return FastAPIResponse.json(body, status: .unprocessableContent) }
        guard let file, let audio = try? AudioDecoder.read(file) else { return FastAPIResponse.internalServerError() }
        let wav = audio.pcm
        try await time.sleep(configuration.processingTime * wav.duration)
        let result = analyzer.diarize(audio, numSpeakers: exact, minSpeakers: lower, maxSpeakers: upper)
        let segments = result.segments.map {
            JSONValue.obj(("speaker", .string(Self.label($0.speaker))), ("start", .double($0.start)), ("end", .double($0.end)))
        }
        return FastAPIResponse.json(
            .obj(("num_speakers", .int(result.speakers)), ("segments", .array(segments)), ("duration", .double(PythonRound.round(wav.duration)))))
    }

    func verify(_ request: Request, context: MockRequestContext) async throws -> Response {
        let form: FastAPIForm
        do { form = try await Self.form(request, context: context) } catch let error as FastAPIForm.MalformedBody {
            return FastAPIResponse.detail(error.detail, status: .badRequest)
        }
        var validation = FastAPIForm.Validation()
        let first = form.file("file1", &validation)
        let second = form.file("file2", &validation)
        if let body = validation.body { return FastAPIResponse.json(body, status: .unprocessableContent) }
        guard let first, let second, let audio1 = try? AudioDecoder.read(first), let audio2 = try? AudioDecoder.read(second) else {
            return FastAPIResponse.internalServerError()
        }
        try await time.sleep(configuration.processingTime * (audio1.pcm.duration + audio2.pcm.duration))
        let score = analyzer.similarity(audio1, audio2)
        return FastAPIResponse.json(
            .obj(
                ("is_same_speaker", .bool(score >= configuration.threshold)), ("similarity_score", .double(score)),
                ("threshold", .double(configuration.threshold))))
    }

    /// pyannote's label for speaker `index`: `SPEAKER_00`, `SPEAKER_01`, …
    static func label(_ index: Int) -> String { index < 10 ? "SPEAKER_0\(index)" : "SPEAKER_\(index)" }

    static func form(_ request: Request, context: MockRequestContext) async throws -> FastAPIForm {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return try FastAPIForm(contentType: request.headers[.contentType], body: Array(buffer.readableBytesView))
    }
}
