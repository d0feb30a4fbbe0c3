import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import SynapseClock
import SynapseCore

/// The gateway's side of Chatterbox's speech protocol: default-voice synthesis and streaming,
/// and the clone flow (see `ChatterboxSpeech+Clone.swift`). The backend is the one the route
/// table names for the client's `/tts/*` path; every call goes through `upstream` (the
/// `Forwarder`), so that backend's breaker, retry policy and deadlines apply.
struct ChatterboxSpeech: Sendable {
    /// Chatterbox's default voice when a request names none (the original's choice).
    static let defaultVoice = "Alice.wav"
    /// Deadline for one `/upload_reference` exchange (the original's 60 s).
    static let uploadTimeout = Duration.seconds(60)
    /// Backend error bodies are read up to this size for the error's detail.
    static let errorBodyLimit = 64 * 1024

    let upstream: any BackendExchange
    /// Largest JSON body of the TTS routes (`gateway.maxJSONBodySize`).
    let jsonBodyLimit: Int
    let library: VoiceLibrary
    let cache: ReferenceCache
    let logger: Logger
    /// Where clone-cache uploads are announced (`GET /events`, type `reference`).
    var events: EventFeed? = nil

    /// The Chatterbox backend the configuration routes `path` to, and its total deadline there.
    func backend(for path: String) throws -> (BackendConfig, Duration) {
        try upstream.backend(servingPath: path, fallback: .tts)
    }

    // MARK: Default voice

    /// `POST /tts` in predefined mode with the default voice.
    func synthesizeDefault(_ speech: SpeechRequest, path: String, requestID: String) async throws -> Response {
        let (backend, timeout) = try backend(for: path)
        let payload = Self.ttsPayload(
            text: speech.text, split: speech.splitSentences, language: speech.language, speed: speech.speed,
            voice: [("voice_mode", .string("predefined")), ("predefined_voice_id", .string(Self.defaultVoice))])
        let deadline = upstream.deadline(after: timeout)
        let result = try await upstream.exchange(
            jsonRequest(backend, "/tts", payload, requestID: requestID), backend: backend,
            timeout: timeout, deadline: deadline)
        return try await relay(result, backend: backend, filename: "synapse_tts.wav", deadline: deadline)
    }

    /// `POST /v1/audio/speech` with the default voice, relayed to the client as Chatterbox produces it.
    func streamDefault(_ speech: SpeechRequest, path: String, requestID: String) async throws -> Response {
        let (backend, timeout) = try backend(for: path)
        let payload = JSONValue.object([
            ("model", .string("chatterbox")), ("input", .string(speech.text)), ("voice", .string(Self.defaultVoice)),
            ("speed", .double(speech.speed)),
        ])
        let deadline = upstream.deadline(after: timeout)
        let result = try await upstream.exchange(
            jsonRequest(backend, "/v1/audio/speech", payload, requestID: requestID), backend: backend,
            timeout: timeout, deadline: deadline)
        try await requireSuccess(result.response, backend: backend)
        var response = try await upstream.respond(with: result.response, backend: backend, presentation: .passThrough, deadline: deadline)
        response.headers[Forwarder.attemptsField] = String(result.attempts)
        return response
    }

    // MARK: Building blocks

    /// Chatterbox's `/tts` body in the original's key order; `speed_factor` only when not 1.
    static func ttsPayload(text: String, split: Bool, language: String, speed: Double, voice: [(String, JSONValue)]) -> JSONValue {
        var fields: [(String, JSONValue)] = [("text", .string(text)), ("split_text", .bool(split)), ("language", .string(language))]
        if speed != 1 { fields.append(("speed_factor", .double(speed))) }
        return .object(fields + voice)
    }

    func jsonRequest(_ backend: BackendConfig, _ path: String, _ payload: JSONValue, requestID: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: upstream.upstreamURL(backend: backend, path: path, query: nil))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-Request-ID", value: requestID)
        request.body = .bytes(ByteBuffer(bytes: payload.bytes()))
        return request
    }

    /// A successful `/tts` answer streamed to the client as a WAV download; an error in the envelope.
    func relay(_ result: UpstreamCaller.Result, backend: BackendConfig, filename: String, deadline: Deadline<AnyClock>) async throws -> Response {
        try await requireSuccess(result.response, backend: backend)
        var response = try await upstream.respond(
            with: result.response, backend: backend, presentation: .attachment(mediaType: "audio/wav", filename: filename), deadline: deadline)
        response.headers[Forwarder.attemptsField] = String(result.attempts)
        return response
    }

    /// Throws the envelope error for a Chatterbox error status (its body as the detail).
    func requireSuccess(_ response: HTTPClientResponse, backend: BackendConfig) async throws {
        guard response.status.code >= 400 else { return }
        let body = try await Self.collect(response, from: backend.id, limit: Self.errorBodyLimit)
        throw GatewayError.ttsBackendError(
            status: .init(code: Int(response.status.code), reasonPhrase: response.status.reasonPhrase), backend: backend.id,
            detail: String(decoding: body, as: UTF8.self))
    }

    /// Reads a backend body up to `limit` bytes (the rest is dropped); transport errors become gateway errors.
    static func collect(_ response: HTTPClientResponse, from backend: BackendID, limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        do {
            for try await chunk in response.body {
                bytes += chunk.readableBytesView.prefix(limit - bytes.count)
                if bytes.count >= limit { break }
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw GatewayError.badGateway(backend, reason: "the response body broke off")
        }
        return bytes
    }
}
