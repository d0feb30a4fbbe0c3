import HTTPTypes
import SynapseCore

/// The errors of the voice library and the TTS routes.
extension GatewayError {
    /// 404 for an absent voice and for any id that is not a plain id (never a file access).
    static func voiceNotFound(_ id: String) -> GatewayError {
        .init(status: .notFound, code: "voice_not_found", type: "invalid_request_error", message: "Voice not found: \(id)")
    }

    /// 400 for a voice upload or TTS request that breaks a rule; `message` says which.
    static func invalidVoiceInput(_ message: String) -> GatewayError {
        .invalidRequest(message, code: "invalid_voice_input")
    }

    /// 413 for one reference file over the size limit.
    static func referenceTooLarge(_ filename: String, limit: Int) -> GatewayError {
        .init(
            status: .contentTooLarge, code: "file_too_large", type: "invalid_request_error",
            message: "File '\(filename)' exceeds the limit of \(ConfigScalars.format(size: limit)) per reference")
    }

    /// 502 when Chatterbox refused or garbled the reference upload.
    static func referenceUploadFailed(_ message: String, backend: BackendID, detail: String? = nil) -> GatewayError {
        .init(
            status: .badGateway, code: "reference_upload_failed", type: "server_error", message: message,
            backend: backend, detail: detail)
    }

    /// Chatterbox answered `/tts` with an error: its status, the original's message, its body as detail.
    static func ttsBackendError(status: HTTPResponse.Status, backend: BackendID, detail: String) -> GatewayError {
        if status == .serviceUnavailable {
            return .init(
                status: .serviceUnavailable, code: "backend_unavailable", type: "server_error",
                message: "Backend \(backend) is unavailable (TTS model not loaded)", backend: backend, detail: detail)
        }
        return .init(
            status: status, code: "tts_backend_error", type: status.code < 500 ? "invalid_request_error" : "server_error",
            message: "TTS backend error", backend: backend, detail: detail)
    }

    /// 500 when the library's disk refused a write; the client's voice was not stored.
    static func voiceStorageFailed() -> GatewayError {
        .internalError("The voice library could not store the change; nothing was saved")
    }
}
