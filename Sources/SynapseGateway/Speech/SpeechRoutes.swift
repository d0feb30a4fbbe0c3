import Foundation
import Hummingbird
import NIOCore
import SynapseCore

/// The TTS routes.
///
/// | route | without `voice_id` | with `voice_id` |
/// |---|---|---|
/// | `POST /tts/synthesize` | Chatterbox `/tts`, predefined `Alice.wav` | the clone flow |
/// | `POST /tts/stream` | Chatterbox `/v1/audio/speech`, streamed as produced | the clone flow |
/// | `POST /tts/interpolate` | — | the clone flow with the highest-weighted voice |
/// | `GET /tts/languages` | the 23 languages | |
struct SpeechRoutes: Sendable {
    let speech: ChatterboxSpeech
    func register(in table: inout RouteTable) {
        table.add(.get, "/tts/languages") { _, _ in VoiceRoutes.json(TTSLanguage.listing) }
        for (path, streams) in [("/tts/synthesize", false), ("/tts/stream", true)] {
            table.add(.post, path) { request, context in
                try await Self.watchingClient(request, limit: speech.jsonBodyLimit) { bytes in
                    let body = try SpeechRequest.parse(bytes)
                    guard let rawID = body.voiceID else {
                        return streams
                            ? try await speech.streamDefault(body, path: path, requestID: context.requestID)
                            : try await speech.synthesizeDefault(body, path: path, requestID: context.requestID)
                    }
                    let voice = try await existingVoice(rawID)
                    return try await speech.synthesizeClone(
                        voice: voice, text: body.text, split: body.splitSentences, language: body.language, speed: body.speed,
                        filename: "synapse_tts.wav", path: path, requestID: context.requestID)
                }
            }
        }
        table.add(.post, "/tts/interpolate") { request, context in
            try await Self.watchingClient(request, limit: speech.jsonBodyLimit) { bytes in
                let body = try InterpolationRequest.parse(bytes)
                // Every named voice must exist, although only the primary one is used.
                var primary: VoiceID?
                for weighted in body.voices {
                    let voice = try await existingVoice(weighted.voiceID)
                    if weighted == body.primary, primary == nil { primary = voice }
                }
                return try await speech.synthesizeClone(
                    voice: primary!, text: body.text, split: true, language: body.language, speed: body.speed,
                    filename: "synapse_interpolate.wav", path: "/tts/interpolate", requestID: context.requestID)
            }
        }
    }

    /// The voice, if `raw` is a plain id of a voice in the library; else 404.
    private func existingVoice(_ raw: String) async throws -> VoiceID {
        let library = speech.library
        guard let id = VoiceID(raw), try await library.run({ library.voice(id) }) != nil else { throw GatewayError.voiceNotFound(raw) }
        return id
    }

    /// Collects the JSON body, then runs `operation` cancelled as soon as the client disconnects
    /// (synthesis takes seconds; nobody should wait for audio no one will receive).
    ///
    /// Hummingbird closes the connection after such a response, so it says `Connection: close`:
    /// a client that reused the connection would race the close ("I/O on closed channel").
    /// The body is refused with 413 past `limit` (`gateway.maxJSONBodySize`, default 1 MiB: 5000
    /// characters need far less).
    private static func watchingClient(
        _ request: Request, limit: Int,
        _ operation: @escaping @Sendable (Data) async throws -> Response
    ) async throws -> Response {
        do {
            var response = try await request.body.consumeWithCancellationOnInboundClose { body in
                let collected = try await JSONBodyLimit.collect(body, contentLength: request.headers[.contentLength], limit: limit)
                return try await operation(Data(collected.readableBytesView))
            }
            response.headers[.connection] = "close"
            return response
        } catch var error as GatewayError {
            error.headers[.connection] = "close"
            throw error
        }
    }
}
