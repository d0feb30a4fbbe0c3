import HTTPTypes
import SynapseCore

extension VoiceUpload.Limits {
    /// These rules with the form limits of `gateway:` (`maxFormFields`, `maxFormFieldSize`).
    func bounded(by gateway: GatewaySettings) -> VoiceUpload.Limits {
        var limits = self
        limits.maxFields = gateway.maxFormFields
        limits.maxFieldSize = gateway.maxFormFieldSize
        return limits
    }
}

extension GatewayError {
    /// 413 `payload_too_large` for a multipart form over its field limits.
    static func formTooLarge(_ message: String) -> GatewayError {
        .init(status: .contentTooLarge, code: "payload_too_large", type: "invalid_request_error", message: message)
    }
}
