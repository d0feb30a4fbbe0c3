import SynapseCore

/// One editable setting of a model profile, as `GET /models/{id}/schema` describes it.
public struct ModelProfileField: Sendable, Equatable {
    /// How a value is checked and stored.
    public enum Kind: String, Sendable, CaseIterable {
        /// `float(v)`, stored as a float.
        case number
        /// `int(v)` (booleans rejected), stored as an integer.
        case integer
        /// One of `choices`, compared stripped and lowercased.
        case `enum`
        /// Free text, stripped; empty means unset.
        case string
    }

    /// When a setting takes effect.
    public enum AppliesAt: String, Sendable, CaseIterable {
        /// Merged into each chat request that lacks it.
        case generation
        /// Passed to llama-router when the model loads (may restart the router).
        case load
    }

    public var name: String
    public var label: String
    public var kind: Kind
    /// Lower bound, `.double` for numbers and `.int` for integers; nil when unbounded.
    public var min: JSONValue?
    public var max: JSONValue?
    public var step: JSONValue?
    public var defaultValue: JSONValue
    public var appliesAt: AppliesAt
    public var description: String
    /// Allowed values of an enum field, in display order.
    public var choices: [String]?

    public init(
        name: String, label: String, kind: Kind, min: JSONValue? = nil, max: JSONValue? = nil, step: JSONValue? = nil,
        defaultValue: JSONValue, appliesAt: AppliesAt, description: String, choices: [String]? = nil
    ) {
        self.name = name
        self.label = label
        self.kind = kind
        self.min = min
        self.max = max
        self.step = step
        self.defaultValue = defaultValue
        self.appliesAt = appliesAt
        self.description = description
        self.choices = choices
    }

    /// The field spec as the original writes it, keys in its order:
    /// name, label, type, choices, min, max, step, default, applies_at, description
    /// (absent keys left out).
    public var document: JSONValue {
        var members: [(String, JSONValue)] = [("name", .string(name)), ("label", .string(label)), ("type", .string(kind.rawValue))]
        if let choices { members.append(("choices", .array(choices.map(JSONValue.string)))) }
        if let min { members.append(("min", min)) }
        if let max { members.append(("max", max)) }
        if let step { members.append(("step", step)) }
        members += [("default", defaultValue), ("applies_at", .string(appliesAt.rawValue)), ("description", .string(description))]
        return .object(members)
    }
}

/// The profile fields each model has, and the schema document built from them.
///
/// Order (the original's): the seven generation fields, `runtime_ctx_size`, then
/// `reasoning_effort` for the gpt-oss family only.
public enum ModelProfileSchema {
    /// The keys merged into chat requests when absent (§2.5 step 1), in the original's order.
    public static let generationDefaultKeys = ["temperature", "top_p", "top_k", "min_p", "repeat_penalty", "max_tokens"]

    /// The two notes of the schema document, verbatim.
    public static let notes = [
        "Generation settings are persisted per model and auto-applied when request values are missing.",
        "Runtime load settings are applied per model at load-time. When changed, Synapse may patch/restart llama-router before loading the model.",
    ]

    /// Fields every model has. Labels and descriptions are the original's own.
    public static let baseFields: [ModelProfileField] = [
        ModelProfileField(
            name: "system_prompt", label: "System Prompt", kind: .string, defaultValue: .string(""), appliesAt: .generation,
            description: "Default system prompt prepended when request has no system message."),
        number(
            "temperature", "Temperature", max: 2.0, default: 1.0,
            "Higher values increase randomness, lower values make outputs more deterministic."),
        number("top_p", "Top P", max: 1.0, default: 0.95, "Nucleus sampling cutoff. Lower values constrain token choices."),
        integer("top_k", "Top K", min: 1, max: 1000, default: 40, "Samples only from the top-K candidate tokens each step."),
        number(
            "min_p", "Min P", max: 1.0, default: 0.01,
            "Minimum token probability floor; useful for llama.cpp where default is often too strict."),
        number("repeat_penalty", "Repeat Penalty", max: 3.0, default: 1.0, "Penalizes repeated tokens. 1.0 disables repetition penalty."),
        integer(
            "max_tokens", "Max Tokens", min: 1, max: 32768, default: 16384,
            "Default maximum number of completion tokens per request (bounded by router ctx-size)."),
        integer(
            "runtime_ctx_size", "Runtime Context Size", min: 512, max: 131072, default: 16384,
            "llama-router --ctx-size for this model. Applied during model load and may restart llama-router.", appliesAt: .load),
    ]

    /// The gpt-oss-only field.
    public static let reasoningEffort = ModelProfileField(
        name: "reasoning_effort", label: "Reasoning Effort", kind: .enum, defaultValue: .string("high"), appliesAt: .generation,
        description: "Injected as 'Reasoning: <level>' in system instructions when absent.", choices: ["low", "medium", "high"])

    /// The fields of `family`, in schema order.
    public static func fields(for family: ModelFamily) -> [ModelProfileField] {
        family == .gptOSS ? baseFields + [reasoningEffort] : baseFields
    }

    /// The fields of the model `modelID`, in schema order.
    public static func fields(modelID: String) -> [ModelProfileField] {
        fields(for: ModelFamily(modelID: modelID))
    }

    /// `{"model","family","fields":[…],"notes":[…]}`: the body of `GET /models/{id}/schema`.
    public static func document(modelID: String) -> JSONValue {
        let family = ModelFamily(modelID: modelID)
        return .obj(
            ("model", .string(modelID)),
            ("family", .string(family.rawValue)),
            ("fields", .array(fields(for: family).map(\.document))),
            ("notes", .array(notes.map(JSONValue.string)))
        )
    }

    private static func number(_ name: String, _ label: String, max: Double, default value: Double, _ description: String) -> ModelProfileField {
        ModelProfileField(
            name: name, label: label, kind: .number, min: .double(0.0), max: .double(max), step: .double(0.01),
            defaultValue: .double(value), appliesAt: .generation, description: description)
    }

    private static func integer(
        _ name: String, _ label: String, min: Int, max: Int, default value: Int, _ description: String,
        appliesAt: ModelProfileField.AppliesAt = .generation
    ) -> ModelProfileField {
        ModelProfileField(
            name: name, label: label, kind: .integer, min: .int(min), max: .int(max), step: .int(1),
            defaultValue: .int(value), appliesAt: appliesAt, description: description)
    }
}
