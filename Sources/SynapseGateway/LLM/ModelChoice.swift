import SynapseCore

/// Which model a chat runs on: the client's, or for `auto` the original's policy (a coding hint
/// in the user's messages picks the coder model, anything else the general one).
struct ModelChoice: Sendable, Equatable {
    /// Why this model: `explicit`, `policy-coder` or `policy-general` (the original's words).
    enum Reason: String, Sendable {
        case explicit
        case policyCoder = "policy-coder"
        case policyGeneral = "policy-general"
    }

    var model: String
    var reason: Reason

    /// `""`, `auto`, `synapse:auto`, `synapse-auto`, in any case and with spaces around.
    static let autoAliases: Set<String> = ["", "auto", "synapse:auto", "synapse-auto"]

    /// The decision for a request's `model` member and messages.
    struct Policy: Sendable {
        let generalModel: String
        let coderModel: String
        /// The pattern (`Regex` is not `Sendable`, so it is compiled where it is used).
        let codingHints: String

        init(_ settings: ModelSettings) {
            generalModel = settings.generalModel
            coderModel = settings.coderModel
            codingHints = settings.codingHints
        }

        func choose(model: JSONValue?, messages: JSONValue?) -> ModelChoice {
            if case .string(let text)? = model {
                let trimmed = text.trimmingWhitespace()
                if !ModelChoice.autoAliases.contains(trimmed.lowercased()) { return ModelChoice(model: trimmed, reason: .explicit) }
            }
            let text = Self.userText(messages)
            // Simple word boundaries (between \w and \W) are what Python's `\b` means.
            guard let regex = try? Regex(codingHints).ignoresCase().wordBoundaryKind(.simple), text.contains(regex) else {
                return ModelChoice(model: generalModel, reason: .policyGeneral)
            }
            return ModelChoice(model: coderModel, reason: .policyCoder)
        }

        /// The text of the `user` messages joined by newlines: string contents, and in list contents
        /// the items with a string `text`, or `{"type":"text","content":…}`.
        static func userText(_ messages: JSONValue?) -> String {
            guard case .array(let items)? = messages else { return "" }
            var parts: [String] = []
            for message in items where message["role"]?.stringValue == "user" {
                switch message["content"] {
                case .string(let text)?:
                    parts.append(text)
                case .array(let pieces)?:
                    for piece in pieces {
                        if let text = piece["text"]?.stringValue {
                            parts.append(text)
                        } else if piece["type"]?.stringValue == "text", let text = piece["content"]?.stringValue {
                            parts.append(text)
                        }
                    }
                default:
                    break
                }
            }
            return parts.joined(separator: "\n")
        }
    }
}
