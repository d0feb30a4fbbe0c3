/// The family of a llama-router model, inferred from its id as the original gateway does
/// (`_infer_model_family`). It decides which profile fields a model has: only `gpt-oss`
/// models get `reasoning_effort`.
public enum ModelFamily: String, Sendable, CaseIterable {
    case gptOSS = "gpt-oss"
    case glm47Flash = "glm-4.7-flash"
    case qwen
    case generic

    /// The family of `modelID`, checked on the lowercased id in this order: starts with
    /// `gpt-oss-`; contains `glm-4.7-flash`; contains `qwen`; otherwise generic.
    public init(modelID: String) {
        let id = modelID.lowercased()
        if id.hasPrefix("gpt-oss-") {
            self = .gptOSS
        } else if id.contains("glm-4.7-flash") {
            self = .glm47Flash
        } else if id.contains("qwen") {
            self = .qwen
        } else {
            self = .generic
        }
    }
}
