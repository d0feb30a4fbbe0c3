import Hummingbird
import MockAudio
import MockFastAPI
import NIOCore
import SynapseCore
import SynapseMockKit

/// Mock of devnen's Chatterbox-TTS-Server (FastAPI under uvicorn): predefined and cloned voices,
/// reference uploads, `/tts`, the OpenAI-style `/v1/audio/speech` and the UI/health routes.
///
/// Audio is `MockSpeech`: 24 kHz mono PCM16 WAV whose length follows the text and `speed_factor`,
/// with text and voice recoverable by the STT and speaker mocks. Uploaded references live in
/// memory and are forgotten by `reset()`, as a restarted container forgets an emptied volume.
public final class ChatterboxMock: MockServer {
    /// How the mock behaves; defaults match the captured server.
    public struct Configuration: Sendable {
        /// File names in `voices/`. Default: the 28 shipped voices (`Abigail.wav` … `Thomas.wav`).
        public var predefinedVoices: [String]
        /// Files in `reference_audio/` at start-up and after reset. Default `Gianna.wav`, `Robert.wav`.
        public var shippedReferences: [String]
        /// Whether the model loaded; when false `/tts` and `/v1/audio/speech` answer 503. Default true.
        public var modelLoaded: Bool
        /// `model_info.device` / `tts_engine.device`. Default `cpu`, as in the transcripts (production shows `cuda`).
        public var device: String
        /// Longest accepted reference clip in seconds (`max_reference_duration_sec`). Default 30.
        public var maximumReferenceDuration: Int
        /// A clone reference must be longer than this (Turbo's assert). Default 5 s.
        public var minimumCloneReferenceDuration: Double
        /// Body pieces `/v1/audio/speech` streams its audio in (header first). Default 8.
        public var speechChunkCount: Int
        /// Mock time between two streamed pieces, as if each were being synthesised. Default 50 ms.
        public var speechChunkDelay: Duration
        /// Size of the chunked-transfer pieces of a `/tts` body (produced all at once). Default 16 KiB.
        public var ttsChunkSize: Int

        public init(
            predefinedVoices: [String] = MockSpeech.namedVoices.map { "\($0).wav" },
            shippedReferences: [String] = ["Gianna.wav", "Robert.wav"],
            modelLoaded: Bool = true,
            device: String = "cpu",
            maximumReferenceDuration: Int = 30,
            minimumCloneReferenceDuration: Double = 5,
            speechChunkCount: Int = 8,
            speechChunkDelay: Duration = .milliseconds(50),
            ttsChunkSize: Int = 16 * 1024
        ) {
            self.predefinedVoices = predefinedVoices
            self.shippedReferences = shippedReferences
            self.modelLoaded = modelLoaded
            self.device = device
            self.maximumReferenceDuration = maximumReferenceDuration
            self.minimumCloneReferenceDuration = minimumCloneReferenceDuration
            self.speechChunkCount = speechChunkCount
            self.speechChunkDelay = speechChunkDelay
            self.ttsChunkSize = ttsChunkSize
        }
    }

    public let configuration: Configuration
    let time: MockTime
    let references: ChatterboxReferenceStore

    public var name: String { "chatterbox-tts" }
    public var backendType: String { "chatterbox" }
    public var healthPath: String { "/api/ui/initial-data" }
    public var serverHeader: String? { "uvicorn" }

    public init(configuration: Configuration = .init(), time: MockTime = .system) {
        self.configuration = configuration
        self.time = time
        self.references = ChatterboxReferenceStore(shippedNames: configuration.shippedReferences)
    }

    public func addRoutes(to router: Router<MockRequestContext>) {
        // First, so it also wraps the not-found responder: CORS preflights and FastAPI's 404 body.
        router.add(middleware: ChatterboxHTTPMiddleware())
        router.get("/api/ui/initial-data") { _, _ in self.initialData() }
        router.get("/api/model-info") { _, _ in Self.json(self.modelInfo) }
        router.get("/get_reference_files") { _, _ in Self.json(.array(self.references.names.map(JSONValue.string))) }
        router.get("/get_predefined_voices") { _, _ in Self.json(self.predefinedVoiceList) }
        router.get("/v1/audio/voices") { _, _ in
            Self.json(.object([("status", .string("ok")), ("voices", .array(self.configuration.predefinedVoices.sorted().map(JSONValue.string)))]))
        }
        router.post("/upload_reference") { request, context in try await self.uploadReference(request, context: context) }
        router.post("/tts") { request, context in try await self.tts(request, context: context) }
        router.post("/v1/audio/speech") { request, context in try await self.speech(request, context: context) }
        // FastAPI answers a known path with the wrong method by 405 and an `allow` header.
        for path in ["/upload_reference", "/tts", "/v1/audio/speech"] {
            router.get(RouterPath(path)) { _, _ in Self.methodNotAllowed(allow: "POST") }
        }
        for path in ["/api/ui/initial-data", "/api/model-info", "/get_reference_files", "/get_predefined_voices", "/v1/audio/voices"] {
            router.post(RouterPath(path)) { _, _ in Self.methodNotAllowed(allow: "GET") }
        }
    }

    public func errorResponse(status: HTTPResponse.Status, message: String) -> Response {
        Self.detail(status, message)
    }

    public func reset() async {
        references.reset()
    }

    // MARK: Responses

    /// A Starlette `JSONResponse`: compact JSON, `content-type: application/json`, content-length.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.bytes(.pythonCompact))))
    }

    /// An `HTTPException`: `{"detail":"…"}`.
    static func detail(_ status: HTTPResponse.Status, _ message: String) -> Response {
        json(.object([("detail", .string(message))]), status: status)
    }

    /// A 422 with pydantic issues.
    static func unprocessable(_ issues: [FastAPIValidationIssue]) -> Response {
        json(FastAPIValidationIssue.body(issues), status: .unprocessableContent)
    }

    static func methodNotAllowed(allow: String) -> Response {
        var response = detail(.methodNotAllowed, "Method Not Allowed")
        response.headers[.allow] = allow
        return response
    }
}
