import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import SynapseClock
import SynapseCore

/// The clone flow: Chatterbox's two steps, with the gateway's cache in front.
///
/// ```
/// voice ─▶ cache hit? ──no──▶ longest reference (≤ 30 s excerpt) ─▶ POST /upload_reference
///   │          │                 as VOICE_SHA12_ref_NNN.wav ─▶ cache {name, sha256}
///   │         yes
///   ▼          ▼
/// POST /tts {voice_mode: clone, reference_audio_filename} ─▶ 200: stream WAV to the client
///                                                     └──▶ 404 "Reference audio file … not found."
///                                                          (Chatterbox restarted): drop the entry,
///                                                          upload again, retry once
/// ```
///
/// Each step is a span of the request's trace (`voice clone: reference`, with `voice clone:
/// upload reference` inside it on a cache miss, then `voice clone: synthesize`), and the backend
/// calls are spans inside the steps.
extension ChatterboxSpeech {
    /// Synthesizes `text` in a library voice and returns the streaming WAV response.
    func synthesizeClone(
        voice: VoiceID, text: String, split: Bool, language: String, speed: Double, filename: String, path: String, requestID: String
    ) async throws -> Response {
        let (backend, timeout) = try backend(for: path)
        let tracer = upstream.tracer
        let step: [(String, Span.Attribute)] = [("synapse.voice_id", .string(voice.rawValue))]
        let upload: @Sendable () async throws -> ReferenceCache.Entry = {
            try await tracer.withSpan("voice clone: upload reference", attributes: step) {
                try await self.uploadReference(of: voice, backend: backend, requestID: requestID)
            }
        }
        let reference = {
            try await tracer.withSpan("voice clone: reference", attributes: step) { try await self.cache.remoteReference(for: voice, upload: upload) }
        }
        var entry = try await reference()
        var reuploaded = false
        while true {
            let payload = Self.ttsPayload(
                text: text, split: split, language: language, speed: speed,
                voice: [
                    ("voice_mode", .string("clone")), ("reference_audio_filename", .string(entry.remoteName)),
                ])
            let deadline = upstream.deadline(after: timeout)
            let request = jsonRequest(backend, "/tts", payload, requestID: requestID)
            let result = try await tracer.withSpan("voice clone: synthesize", attributes: step + [("synapse.reference", .string(entry.remoteName))]) {
                try await upstream.exchange(request, backend: backend, timeout: timeout, deadline: deadline)
            }
            if result.response.status == .notFound, !reuploaded {
                let body = try await Self.collect(result.response, from: backend.id, limit: Self.errorBodyLimit)
                guard Self.isUnknownReference(body, name: entry.remoteName) else {
                    throw GatewayError.ttsBackendError(status: .notFound, backend: backend.id, detail: String(decoding: body, as: UTF8.self))
                }
                // Chatterbox lost its uploads (a restart with an emptied folder): upload once more.
                logger.notice(
                    "chatterbox forgot a cloned reference; uploading it again",
                    metadata: [
                        "synapse.request_id": "\(requestID)", "synapse.voice_id": "\(voice)", "synapse.reference": "\(entry.remoteName)",
                    ])
                cache.invalidate(voice, ifRemoteName: entry.remoteName)
                entry = try await reference()
                reuploaded = true
                continue
            }
            return try await relay(result, backend: backend, filename: filename, deadline: deadline)
        }
    }

    /// Whether a `/tts` 404 body is Chatterbox's "Reference audio file 'NAME' not found.".
    static func isUnknownReference(_ body: [UInt8], name: String) -> Bool {
        (try? JSONValue.parse(body))?["detail"]?.stringValue == "Reference audio file '\(name)' not found."
    }

    /// Uploads the voice's clone reference and returns the name Chatterbox stored it under.
    func uploadReference(of voice: VoiceID, backend: BackendConfig, requestID: String) async throws -> ReferenceCache.Entry {
        let library = library
        let clip: ReferenceClip
        do {
            guard let chosen = try await library.run({ try ReferenceClip.choose(from: library.referencePaths(voice)) }) else {
                throw GatewayError.invalidVoiceInput("Voice \(voice) has no readable WAV reference; add one with POST /voices/\(voice)/references")
            }
            clip = chosen
        } catch let error as GatewayError {
            throw error
        } catch {
            throw GatewayError.internalError("The reference of voice \(voice) could not be read")
        }
        // Voices from an older library may hold short clips; say why instead of Chatterbox's opaque 500.
        guard clip.storedDuration > VoiceUpload.Limits().minimumDuration else {
            throw GatewayError.invalidVoiceInput(
                "Voice \(voice) has no reference longer than 5 s (its longest is \(ReferenceReceiver.seconds(clip.storedDuration)) s); "
                    + "Chatterbox Turbo cannot clone from a clip of 5 s or less. Add a longer reference.")
        }
        let digest = SHA256.hex(clip.bytes)
        // The voice id keeps voices apart; the digest makes new content a new name, since
        // Chatterbox keeps an existing file rather than overwrite it.
        let name = "\(voice)_\(digest.prefix(12))_\(clip.name)"
        let form = MultipartWriter(boundary: "synapse-\(digest.prefix(24))")
        var body = ByteBuffer()
        body.writeBytes(form.partHead(name: "files", filename: name, contentType: "audio/wav"))
        body.writeBytes(clip.bytes)
        body.writeBytes(MultipartWriter.partTail + form.end)
        var request = HTTPClientRequest(url: upstream.upstreamURL(backend: backend, path: "/upload_reference", query: nil))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: form.contentType)
        request.headers.add(name: "X-Request-ID", value: requestID)
        request.body = .bytes(body)

        let result = try await upstream.exchange(request, backend: backend, timeout: Self.uploadTimeout, deadline: nil)
        let answer = try await Self.collect(result.response, from: backend.id, limit: 1 << 20)
        let text = String(decoding: answer, as: UTF8.self)
        guard result.response.status == .ok else {
            events?.publish(
                .reference, backend: backend.id.rawValue,
                [("action", .string("failed")), ("voice_id", .string(voice.rawValue)), ("status", .number(Double(result.response.status.code)))])
            throw GatewayError.referenceUploadFailed(
                "Failed to upload reference to Chatterbox (HTTP \(result.response.status.code))", backend: backend.id, detail: text)
        }
        guard let uploaded = (try? JSONValue.parse(answer))?["uploaded_files"]?.arrayValue,
            uploaded.allSatisfy({ $0.stringValue != nil }), let remoteName = uploaded.first?.stringValue
        else { throw GatewayError.referenceUploadFailed("Chatterbox returned no uploaded files", backend: backend.id, detail: text) }
        logger.info(
            "uploaded clone reference",
            metadata: [
                "synapse.request_id": "\(requestID)", "synapse.voice_id": "\(voice)", "synapse.reference": "\(remoteName)",
                "synapse.reference_bytes": "\(clip.bytes.count)",
            ])
        events?.publish(
            .reference, backend: backend.id.rawValue,
            [
                ("action", .string("uploaded")), ("voice_id", .string(voice.rawValue)), ("reference", .string(remoteName)),
                ("bytes", .number(Double(clip.bytes.count))),
            ])
        return ReferenceCache.Entry(remoteName: remoteName, digest: digest)
    }
}
