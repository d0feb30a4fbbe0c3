import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SynapseCore

/// The voice library routes (`/voices…`) and, through `SpeechRoutes`, the TTS routes (`/tts/…`).
///
/// | route | answer |
/// |---|---|
/// | `GET /voices` | `[{voice_id, name, created_at, references_count, references}]`, oldest first |
/// | `GET /voices/{voice_id}` | one voice, 404 if absent |
/// | `POST /voices` (multipart `name`, `files` ×1–10) | 201 `{voice_id, name, references_count, references}` |
/// | `POST /voices/{voice_id}/references` (multipart `files`) | 200, the updated voice |
/// | `DELETE /voices/{voice_id}` | `{"status":"deleted","voice_id":…}` |
/// | `GET /voices/{voice_id}/audio` | the first reference, `audio/wav` (the gateway's own; `VoiceRoutes+Audio.swift`) |
public struct VoiceRoutes: Sendable {
    let library: VoiceLibrary
    let cache: ReferenceCache
    let speech: ChatterboxSpeech
    let limits: VoiceUpload.Limits
    let events: EventFeed?
    let logger: Logger

    /// The routes over `library`, whose clone uploads `cache` remembers. Both outlive a
    /// configuration reload (the library's locks and the cache are the process's), so a reload
    /// neither sweeps an upload in progress nor forgets what Chatterbox holds.
    /// - Parameter upstream: how the TTS flows reach the backend the route table names for `/tts/*`.
    /// - Parameter events: where voice creations and deletions are announced (`GET /events`).
    init(
        config: SynapseConfig, library: VoiceLibrary, cache: ReferenceCache, upstream: any BackendExchange, events: EventFeed? = nil, logger: Logger,
        limits: VoiceUpload.Limits = .init()
    ) {
        self.library = library
        self.cache = cache
        self.speech = ChatterboxSpeech(
            upstream: upstream, jsonBodyLimit: config.gateway.maxJSONBodySize, library: library, cache: cache, logger: logger, events: events)
        self.limits = limits.bounded(by: config.gateway)
        self.logger = logger
        self.events = events
    }

    /// Prepares the library (creates it, sweeps what an interrupted run left, migrates legacy
    /// voices): once per process, at start-up, before the gateway listens.
    static func prepare(_ library: VoiceLibrary, logger: Logger) {
        do {
            let removed = try library.prepare()
            if removed > 0 { logger.notice("voice library: removed leftovers of interrupted uploads", metadata: ["synapse.count": "\(removed)"]) }
        } catch {
            // The routes still answer; each request reports the storage problem on its own.
            logger.error("voice library cannot be prepared", metadata: ["synapse.path": "\(library.root)", "error": "\(error)"])
        }
    }

    /// Adds the `/voices` and `/tts` routes.
    public func register(in table: inout RouteTable) {
        table.add(.get, "/voices") { _, _ in
            let voices = try await library.run { library.voices() }
            return Self.json(.array(voices.map(\.listing)))
        }
        table.add(.get, "/voices/{voice_id}") { _, context in
            let id = try Self.voiceID(context)
            guard let voice = try await library.run({ library.voice(id) }) else { throw GatewayError.voiceNotFound(id.rawValue) }
            return Self.json(voice.listing)
        }
        table.add(.post, "/voices") { request, _ in try await createVoice(request) }
        table.add(.post, "/voices/{voice_id}/references") { request, context in try await addReferences(request, id: try Self.voiceID(context)) }
        table.add(.delete, "/voices/{voice_id}") { _, context in
            let id = try Self.voiceID(context)
            let deleted: Bool
            do { deleted = try await library.run { try library.delete(id) } } catch { throw storageFailure(error) }
            guard deleted else { throw GatewayError.voiceNotFound(id.rawValue) }
            cache.invalidate(id)
            logger.info("voice deleted", metadata: ["synapse.voice_id": "\(id)"])
            events?.publish(.voice, [("action", .string("deleted")), ("voice_id", .string(id.rawValue))])
            return Self.json(.object([("status", .string("deleted")), ("voice_id", .string(id.rawValue))]))
        }
        registerAudio(in: &table)
        SpeechRoutes(speech: speech).register(in: &table)
    }

    // MARK: Handlers

    private func createVoice(_ request: Request) async throws -> Response {
        try refuseOversizedBody(request)
        let upload = try await VoiceUpload.receive(request.body, contentType: request.headers[.contentType], library: library, limits: limits)
        let library = library
        do {
            let name = try VoiceUpload.validName(upload.name, limits: limits)
            let total = upload.references.reduce(0) { $0 + $1.duration }
            let voice: VoiceRecord
            do { voice = try await library.run { try library.publish(staging: upload.staging, name: name, totalDuration: total) } } catch {
                throw storageFailure(error)
            }
            logger.info("voice created", metadata: ["synapse.voice_id": "\(voice.voiceID)", "synapse.references": "\(voice.references.count)"])
            events?.publish(.voice, [("action", .string("created")), ("voice_id", .string("\(voice.voiceID)"))])
            return Self.json(voice.uploadSummary, status: .created)
        } catch {
            try? await library.run { DurableStorage.remove(upload.staging) }
            throw error
        }
    }

    private func addReferences(_ request: Request, id: VoiceID) async throws -> Response {
        let library = library
        guard try await library.run({ library.voice(id) }) != nil else {
            if let length = request.headers[.contentLength].flatMap(Int.init) {
                try? await RequestBodyCheck.drainIfModest(request.body, length: length)
            }
            throw GatewayError.voiceNotFound(id.rawValue)
        }
        try refuseOversizedBody(request)
        let upload = try await VoiceUpload.receive(request.body, contentType: request.headers[.contentType], library: library, limits: limits)
        let files = upload.references.map(\.path)
        let updated: VoiceRecord?
        do {
            updated = try await library.run {
                defer { DurableStorage.remove(upload.staging) }
                return try library.addReferences(id, staged: files)
            }
        } catch {
            throw storageFailure(error)
        }
        guard let updated else { throw GatewayError.voiceNotFound(id.rawValue) }
        // The next synthesis picks its reference again (a longer one may have arrived).
        cache.invalidate(id)
        logger.info("voice references added", metadata: ["synapse.voice_id": "\(id)", "synapse.references": "\(updated.references.count)"])
        return Self.json(updated.uploadSummary)
    }

    // MARK: Helpers

    /// A body longer than ten maximal files plus form overhead cannot be valid: 413 before reading it.
    private func refuseOversizedBody(_ request: Request) throws {
        let limit = limits.fileCount.upperBound * limits.maximumFileSize + (1 << 20)
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw GatewayError.payloadTooLarge(limit: limit)
        }
    }

    private func storageFailure(_ error: any Error) -> GatewayError {
        if let error = error as? GatewayError { return error }
        logger.error("voice library write failed", metadata: ["error": "\(error)"])
        return .voiceStorageFailed()
    }

    /// The `{voice_id}` parameter as a plain id; anything else is an unknown voice (404).
    static func voiceID(_ context: GatewayContext) throws -> VoiceID {
        let raw = context.parameters.get("voice_id") ?? ""
        guard let id = VoiceID(raw) else { throw GatewayError.voiceNotFound(raw) }
        return id
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        .json(value, status: status)
    }
}
