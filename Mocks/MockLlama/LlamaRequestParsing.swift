/// The llama mocks' request JSON parser (nlohmann's behaviour) as a public entry point, for the
/// `mock-json` fuzz target: every request body a llama mock receives goes through it.
public enum LlamaRequestParsing {
    /// Whether `bytes` parse as a JSON document; never traps, whatever the bytes.
    public static func parses(_ bytes: [UInt8]) -> Bool {
        (try? LlamaJSONParser.parse(bytes)) != nil
    }
}
