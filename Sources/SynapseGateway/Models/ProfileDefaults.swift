import SynapseCore

/// Merges a model's stored profile into a chat request, as the original's
/// `_apply_model_load_defaults_to_payload` does (before the load check):
///
/// 1. each of `temperature, top_p, top_k, min_p, repeat_penalty, max_tokens` in the profile is
///    set when the key is absent from the payload (a present `null` counts as set);
/// 2. a non-empty `system_prompt` is inserted at index 0 as `{"role":"system","content":…}`
///    when no message has `role == "system"`;
/// 3. a `reasoning_effort` of low/medium/high becomes a `Reasoning: <level>` system message
///    at index 0 when there is none, or is prefixed to the first system message's string
///    content (`"Reasoning: high\n\nBe brief."`) unless a line of it already states one.
///
/// Steps 2 and 3 replace a non-list `messages` with `[]`. `runtime_ctx_size` is never merged.
/// The payload keeps Python dict semantics: a new key goes last, a replaced key keeps its place.
public enum ProfileDefaults {
    /// Applies `profile` to `payload` and returns what was applied, in order (for the
    /// `defaults=` part of the model-selection log line).
    @discardableResult
    public static func apply(profile: [(String, JSONValue)], to payload: inout [(String, JSONValue)]) -> [String] {
        guard !profile.isEmpty else { return [] }
        let profile = ModelProfileSchema.pythonDict(profile)
        func stored(_ key: String) -> JSONValue? { profile.first { $0.0 == key }?.1 }
        var applied: [String] = []

        for key in ModelProfileSchema.generationDefaultKeys {
            if let value = stored(key), !payload.contains(where: { $0.0 == key }) {
                payload.append((key, value))
                applied.append(key)
            }
        }

        if case .string(let prompt)? = stored("system_prompt"), !prompt.isEmpty {
            var messages = messageList(in: payload)
            if !messages.contains(where: isSystemMessage) {
                messages.insert(.obj(("role", .string("system")), ("content", .string(prompt))), at: 0)
                applied.append("system_prompt")
            }
            payload.set("messages", .array(messages))
        }

        if case .string(let level)? = stored("reasoning_effort"), ["low", "medium", "high"].contains(level) {
            var messages = messageList(in: payload)
            let line = "Reasoning: \(level)"
            if let first = messages.firstIndex(where: isSystemMessage) {
                if case .object(var members) = messages[first], case .string(let content)? = messages[first]["content"],
                    !ReasoningLine.isPresent(in: content)
                {
                    members.set("content", .string(content.isEmpty ? line : "\(line)\n\n\(content)"))
                    messages[first] = .object(members)
                    applied.append("reasoning_effort")
                }
            } else {
                messages.insert(.obj(("role", .string("system")), ("content", .string(line))), at: 0)
                applied.append("reasoning_effort")
            }
            payload.set("messages", .array(messages))
        }
        return applied
    }

    /// The `messages` list, or `[]` when it is missing or not a list (the caller writes it back).
    private static func messageList(in payload: [(String, JSONValue)]) -> [JSONValue] {
        if case .array(let items)? = JSONValue.object(payload)["messages"] { return items }
        return []
    }

    /// `isinstance(m, dict) and m.get("role") == "system"`.
    private static func isSystemMessage(_ message: JSONValue) -> Bool {
        if case .string("system")? = message["role"] { return true }
        return false
    }

    /// `d[key] = value` on ordered members: in place (at the first occurrence, dropping later
    /// repeats, whose value Python would have kept) or appended.
}
