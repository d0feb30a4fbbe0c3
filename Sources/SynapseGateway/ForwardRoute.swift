import HTTPTypes
import SynapseCore

/// A gateway route that is passed through to a backend: where it goes and how its body and
/// response are treated.
public struct ForwardRoute: Sendable {
    /// What the gateway checks about the request body before contacting the backend.
    public enum BodyKind: Sendable {
        /// No body expected.
        case none
        /// A JSON document: collected (it is small), checked for syntax, sent with its length.
        case json
        /// `multipart/form-data`: streamed through as it arrives; the boundary is checked.
        case multipart
    }

    public var method: HTTPRequest.Method
    /// The client path, e.g. `/stt/transcribe`.
    public var path: String
    /// The backend path, e.g. `/transcribe`.
    public var backendPath: String
    /// The timeout profile when neither the route rule nor the backend sets one.
    public var defaultProfile: TimeoutProfile
    public var body: BodyKind
    /// Long-running routes (inference, audio) watch the client connection while waiting for the
    /// backend, so that a client that goes away cancels the backend request at once. The cost is
    /// that the connection is closed after the response, which is why fast routes don't.
    public var cancelsOnClientClose: Bool
    /// How a successful response is presented to the client (media type, download name).
    public var presentation: ResponsePresentation

    /// The backend is not part of the route: the configuration's route table names it
    /// (`SynapseConfig.servingRule(forPath:)`).
    public init(
        _ method: HTTPRequest.Method, _ path: String, to backendPath: String, profile: TimeoutProfile,
        body: BodyKind, cancelsOnClientClose: Bool = true, presentation: ResponsePresentation = .passThrough
    ) {
        self.method = method
        self.path = path
        self.backendPath = backendPath
        self.defaultProfile = profile
        self.body = body
        self.cancelsOnClientClose = cancelsOnClientClose
        self.presentation = presentation
    }

    /// The pass-through routes of the gateway (the original's API). Chat, `GET /models` and
    /// `POST /models/load` are model management's (`ChatRoute`, `ModelsRoutes`).
    public static let catalogue: [ForwardRoute] = [
        .init(.post, "/v1/embeddings", to: "/v1/embeddings", profile: .embeddings, body: .json, cancelsOnClientClose: false),
        .init(.post, "/models/unload", to: "/models/unload", profile: .llm, body: .json, cancelsOnClientClose: false),
        .init(.post, "/stt/transcribe", to: "/transcribe", profile: .stt, body: .multipart),
        .init(.post, "/stt/detect-language", to: "/detect-language", profile: .stt, body: .multipart),
        .init(.post, "/stt/stream", to: "/stream", profile: .stt, body: .multipart),
        .init(.post, "/speakers/diarize", to: "/diarize", profile: .speaker, body: .multipart),
        .init(.post, "/speakers/verify", to: "/verify", profile: .speaker, body: .multipart),
        .init(
            .post, "/audio/denoise", to: "/denoise", profile: .audio, body: .multipart,
            presentation: .attachment(mediaType: "audio/wav", filename: "denoised.wav")),
        .init(
            .post, "/audio/convert", to: "/convert", profile: .audio, body: .multipart,
            presentation: .convertedAudio),
    ]
}

/// How a successful backend response is presented to the client.
public enum ResponsePresentation: Sendable, Equatable {
    /// Status, headers and body as the backend sent them.
    case passThrough
    /// The body as a download with the gateway's media type and file name (the backend's are ignored).
    case attachment(mediaType: String, filename: String)
    /// `/audio/convert`: media type and file name follow the requested `output_format`.
    case convertedAudio
}
