import Hummingbird
import SynapseCore

/// The read-only routes: UI initial data (the gateway's health check), model info, voice lists.
extension ChatterboxMock {
    /// `GET /api/model-info` and `model_info` in the initial data.
    var modelInfo: JSONValue {
        let tags = ["laugh", "chuckle", "sigh", "gasp", "cough", "clear throat", "sniff", "groan", "shush"]
        return .object([
            ("loaded", .bool(configuration.modelLoaded)),
            ("type", .string("turbo")),
            ("class_name", .string("ChatterboxTurboTTS")),
            ("device", .string(configuration.device)),
            ("sample_rate", .int(24000)),
            ("supports_paralinguistic_tags", .bool(true)),
            ("available_paralinguistic_tags", .array(tags.map(JSONValue.string))),
            ("turbo_available_in_package", .bool(true)),
            ("multilingual_available_in_package", .bool(true)),
            ("supports_multilingual", .bool(false)),
            ("supported_languages", .object([("en", .string("English"))])),
        ])
    }

    /// `GET /get_predefined_voices`: display names from file stems, sorted case-insensitively.
    var predefinedVoiceList: JSONValue {
        var seen: [String: Int] = [:]
        var entries: [(display: String, file: String)] = []
        for file in configuration.predefinedVoices.sorted() {
            let stem = file.lastIndex(of: ".").map { String(file[..<$0]) } ?? file
            let words = stem.split(whereSeparator: { $0 == "_" || $0 == "-" || $0 == " " })
            var display = words.map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }.joined(separator: " ")
            let count = (seen[display] ?? 0) + 1
            seen[display] = count
            if count > 1 { display += " (\(count))" }
            entries.append((display, file))
        }
        entries.sort { $0.display.lowercased() < $1.display.lowercased() }
        return .array(entries.map { .object([("display_name", .string($0.display)), ("filename", .string($0.file))]) })
    }

    /// `GET /api/ui/initial-data`: 200 even when the model is not loaded.
    func initialData() -> Response {
        let emptyResult: JSONValue = .object(
            ["outputUrl", "filename", "genTime", "submittedVoiceMode", "submittedPredefinedVoice", "submittedCloneFile"].map { ($0, .null) })
        return Self.json(
            .object([
                ("config", ChatterboxUIData.config(device: configuration.device, maximumReferenceDuration: configuration.maximumReferenceDuration)),
                ("reference_files", .array(references.names.map(JSONValue.string))),
                ("predefined_voices", predefinedVoiceList),
                ("presets", ChatterboxUIData.presets),
                ("initial_gen_result", emptyResult),
                ("model_info", modelInfo),
            ]))
    }
}
