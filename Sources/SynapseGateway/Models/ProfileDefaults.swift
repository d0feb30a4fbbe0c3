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
            setValue(.array(messages), for: "messages", in: &payload)
        }

        if case .string(let level)? = stored("reasoning_effort"), ["low", "medium", "high"].contains(level) {
            var messages = messageList(in: payload)
            let line = "Reasoning: \(level)"
            if let first = messages.firstIndex(where: isSystemMessage) {
                if case .object(var members) = messages[first], case .string(let content)? = messages[first]["content"],
                    !ReasoningLine.isPresent(in: content)
                {
                    setValue(.string(content.isEmpty ? line : "\(line)\n\n\(content)"), for: "content", in: &members)
                    messages[first] = .object(members)
                    applied.append("reasoning_effort")
                }
            } else {
                messages.insert(.obj(("role", .string("system")), ("content", .string(line))), at: 0)
                applied.append("reasoning_effort")
            }
            setValue(.array(messages), for: "messages", in: &payload)
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
    static func setValue(_ value: JSONValue, for key: String, in members: inout [(String, JSONValue)]) {
        guard let first = members.firstIndex(where: { $0.0 == key }) else {
            members.append((key, value))
            return
        }
        members[first].1 = value
        var index = members.count - 1
        while index > first {
            if members[index].0 == key { members.remove(at: index) }
            index -= 1
        }
    }
}

/// The original's `(?im)^\s*reasoning\s*:\s*(low|medium|high)\s*$`, searched in a system
/// message: a line stating a reasoning level.
///
/// Matched by hand to keep Python's semantics exactly: `\s` is Python's whitespace (and spans
/// lines, so blank lines around the statement still match), `^`/`$` are line boundaries, and
/// `re.IGNORECASE` also folds `ſ` (U+017F) to `s` and `İ`/`ı` (U+0130/U+0131) to `i`.
enum ReasoningLine {
    static func isPresent(in text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        var start = 0
        while start < scalars.count {
            if let end = matchWord("reasoning", in: scalars, at: start), lineStartsBefore(start, in: scalars) {
                var index = skipSpaces(in: scalars, from: end)
                if index < scalars.count, scalars[index] == ":" {
                    index = skipSpaces(in: scalars, from: index + 1)
                    for level in ["low", "medium", "high"] {
                        if let levelEnd = matchWord(level, in: scalars, at: index), lineEndsAfter(levelEnd, in: scalars) { return true }
                    }
                }
            }
            start += 1
        }
        return false
    }

    /// `^\s*` can end at `index`: the whitespace run before it reaches the text's start or holds a line break.
    private static func lineStartsBefore(_ index: Int, in scalars: [Unicode.Scalar]) -> Bool {
        var position = index
        while position > 0, PythonText.isSpace(scalars[position - 1]) {
            if scalars[position - 1] == "\n" { return true }
            position -= 1
        }
        return position == 0
    }

    /// `\s*$` can start at `index`: the whitespace run after it reaches the text's end or holds a line break.
    private static func lineEndsAfter(_ index: Int, in scalars: [Unicode.Scalar]) -> Bool {
        var position = index
        while position < scalars.count, PythonText.isSpace(scalars[position]) {
            if scalars[position] == "\n" { return true }
            position += 1
        }
        return position == scalars.count
    }

    private static func skipSpaces(in scalars: [Unicode.Scalar], from index: Int) -> Int {
        var position = index
        while position < scalars.count, PythonText.isSpace(scalars[position]) { position += 1 }
        return position
    }

    /// The end of `word` (lowercase ASCII) matched case-insensitively at `index`, or nil.
    private static func matchWord(_ word: String, in scalars: [Unicode.Scalar], at index: Int) -> Int? {
        var position = index
        for letter in word.unicodeScalars {
            guard position < scalars.count, folds(scalars[position], to: letter) else { return nil }
            position += 1
        }
        return position
    }

    /// Python `re.IGNORECASE` equivalence for the letters of these words.
    private static func folds(_ scalar: Unicode.Scalar, to letter: Unicode.Scalar) -> Bool {
        if scalar == letter || scalar.value == letter.value - 0x20 { return true }
        switch letter {
        case "s": return scalar == "\u{017F}"
        case "i": return scalar == "\u{0130}" || scalar == "\u{0131}"
        default: return false
        }
    }
}
