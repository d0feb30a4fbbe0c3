import Foundation
import Hummingbird
import MockAudio
import NIOCore
import SynapseCore
import SynapseMockKit

/// `POST /tts` and `POST /v1/audio/speech`.
///
/// ```
/// JSON ─► validate (422) ─► model loaded? (503) ─► voice (400/404) ─► text chunks (400)
///      ─► reference > 5 s? (500) ─► MockSpeech ─► wav | opus | mp3 ─► chunked response
/// ```
extension ChatterboxMock {
    /// What to say, in which voice, how fast: the outcome of the voice checks.
    struct Utterance {
        var text: String
        /// The voice recorded in the audio (`Emily.wav`, or `clone:…` for a reference).
        var voice: String
        var speed: Double
        /// The clone reference's duration, when known (the Turbo model needs more than 5 s).
        var referenceDuration: Double?
    }

    /// A failed request, as FastAPI would answer it.
    struct Refusal: Error {
        var status: HTTPResponse.Status
        var detail: String
    }

    func tts(_ request: Request, context: MockRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let tts: ChatterboxTTSRequest
        do {
            tts = try ChatterboxTTSRequest.validate(Array(body.readableBytesView))
        } catch {
            return Self.unprocessable(error.issues)
        }
        do {
            try requireModel()
            let utterance = try ttsUtterance(tts)
            try checkSynthesis(utterance)
            let format = tts.outputFormat ?? "wav"
            let audio = encode(utterance, format: format)
            var headers = HTTPFields()
            let tag = [tts.temperature ?? 0.8, tts.exaggeration ?? 1.3, tts.cfgWeight ?? 0.5]
                .map { String(format: "%.1f", $0).replacingOccurrences(of: ".", with: "") }
            let stamp = Self.timestamp(time.now())
            headers[.contentDisposition] = "attachment; filename=\"tts_output_T\(tag[0])_E\(tag[1])_W\(tag[2])_\(stamp).\(format)\""
            headers[.contentType] = "audio/\(format)"
            // The real server builds the whole file, then streams it from memory.
            let pieceSize = max(1, configuration.ttsChunkSize)
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    for start in stride(from: 0, to: audio.count, by: pieceSize) {
                        try await writer.write(ByteBuffer(bytes: audio[start..<min(audio.count, start + pieceSize)]))
                    }
                    try await writer.finish(nil)
                })
        } catch let refusal as Refusal {
            return Self.detail(refusal.status, refusal.detail)
        }
    }

    func speech(_ request: Request, context: MockRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let speech: ChatterboxSpeechRequest
        do {
            speech = try ChatterboxSpeechRequest.validate(Array(body.readableBytesView))
        } catch {
            return Self.unprocessable(error.issues)
        }
        let utterance: Utterance
        if configuration.predefinedVoices.contains(speech.voice) {
            utterance = Utterance(text: speech.input, voice: speech.voice, speed: speech.speed)
        } else if let clip = references.clip(named: speech.voice) {
            utterance = Utterance(
                text: speech.input, voice: MockSpeech.cloneVoice(referenceName: speech.voice, referenceBytes: clip.bytes),
                speed: speech.speed, referenceDuration: clip.duration)
        } else {
            return Self.detail(.notFound, "Voice file '\(speech.voice)' not found.")
        }
        do {
            try requireModel()
        } catch let refusal as Refusal {
            return Self.detail(refusal.status, refusal.detail)
        }
        do {
            try checkSynthesis(utterance)
        } catch let refusal as Refusal {
            // The route's catch-all re-raises everything as a 500 with `str(exc)` as the detail.
            return Self.detail(.internalServerError, "\(refusal.status.code): \(refusal.detail)")
        }
        var headers = HTTPFields()
        headers[.contentType] = "audio/\(speech.responseFormat)"
        return Response(status: .ok, headers: headers, body: streamedBody(utterance, format: speech.responseFormat))
    }

    // MARK: Checks

    private func requireModel() throws {
        guard configuration.modelLoaded else {
            throw Refusal(status: .serviceUnavailable, detail: "TTS engine model is not currently loaded or available.")
        }
    }

    /// The voice checks of `/tts`, in the server's order.
    private func ttsUtterance(_ tts: ChatterboxTTSRequest) throws -> Utterance {
        let speed = tts.speedFactor ?? 1
        if tts.voiceMode == "predefined" {
            guard let id = tts.predefinedVoiceID, !id.isEmpty else {
                throw Refusal(status: .badRequest, detail: "Missing 'predefined_voice_id' for 'predefined' voice mode.")
            }
            guard configuration.predefinedVoices.contains(id) else {
                throw Refusal(status: .notFound, detail: "Predefined voice file '\(id)' not found.")
            }
            return Utterance(text: tts.text, voice: id, speed: speed)
        }
        guard let name = tts.referenceAudioFilename, !name.isEmpty else {
            throw Refusal(status: .badRequest, detail: "Missing 'reference_audio_filename' for 'clone' voice mode.")
        }
        guard let clip = references.clip(named: name) else {
            throw Refusal(status: .notFound, detail: "Reference audio file '\(name)' not found.")
        }
        if let problem = referenceProblem(name: name, clip: clip) {
            throw Refusal(status: .badRequest, detail: "Invalid reference audio: \(problem)")
        }
        return Utterance(
            text: tts.text, voice: MockSpeech.cloneVoice(referenceName: name, referenceBytes: clip.bytes), speed: speed,
            referenceDuration: clip.duration)
    }

    /// Text chunking and the model's own failures.
    private func checkSynthesis(_ utterance: Utterance) throws {
        guard utterance.text.contains(where: { !$0.isWhitespace }) else {
            throw Refusal(status: .badRequest, detail: "Text processing resulted in no usable chunks.")
        }
        // Turbo asserts "Audio prompt must be longer than 5 seconds!"; the engine swallows it and
        // the route reports the first chunk as failed.
        if let duration = utterance.referenceDuration, duration <= configuration.minimumCloneReferenceDuration {
            throw Refusal(status: .internalServerError, detail: "TTS engine failed to synthesize audio for chunk 1.")
        }
    }

    // MARK: Audio

    /// The whole encoded file. WAV is mock speech as it is; Opus (libopus at libsndfile's default
    /// bitrate, 24 kHz as the real server writes it through soundfile) and MP3 (LAME, MPEG-2 Layer
    /// III at 24 kHz, 128 kbit/s) carry the text and voice in their tags (`MockSpeech.compressedTags`),
    /// where the whisper mock reads them back. An encoder failure (not expected at 24 kHz mono)
    /// gives an empty body rather than a crash.
    func encode(_ utterance: Utterance, format: String) -> [UInt8] {
        guard let audioFormat = AudioFormat(rawValue: format), audioFormat == .opus || audioFormat == .mp3 else {
            return MockSpeech.synthesize(text: utterance.text, voice: utterance.voice, speed: utterance.speed)
        }
        let samples = MockSpeech.samples(text: utterance.text, voice: utterance.voice, speed: utterance.speed)
        let encoder = AudioEncoder(format: audioFormat, sampleRate: MockSpeech.sampleRate, bitrate: 128)
        return (try? encoder.encode(samples, tags: MockSpeech.compressedTags(text: utterance.text, voice: utterance.voice))) ?? []
    }

    /// `/v1/audio/speech` body: for WAV the header first, then the samples in
    /// `speechChunkCount` pieces, each after `speechChunkDelay` of mock time, as if produced live.
    private func streamedBody(_ utterance: Utterance, format: String) -> ResponseBody {
        let pieces = max(1, configuration.speechChunkCount)
        let delay = configuration.speechChunkDelay
        let time = self.time
        let file = encode(utterance, format: format)
        let headerSize = format == "wav" ? ((try? WAVHeader.parse(file))?.dataOffset ?? 0) : 0
        return ResponseBody { writer in
            var start = 0
            if headerSize > 0 {
                try await writer.write(ByteBuffer(bytes: file[0..<headerSize]))
                start = headerSize
            }
            let remaining = file.count - start
            let step = max(1, (remaining + pieces - 1) / pieces)
            while start < file.count {
                if delay > .zero { try await time.sleep(delay) }
                let end = min(file.count, start + step)
                try await writer.write(ByteBuffer(bytes: file[start..<end]))
                start = end
            }
            try await writer.finish(nil)
        }
    }

    /// `YYYYmmdd_HHMMSS` in the server's local time zone.
    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "yyyyMMdd_HHmmss"
        return formatter.string(from: date)
    }
}
