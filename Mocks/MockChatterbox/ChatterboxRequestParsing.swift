/// Chatterbox's request body readers (Python's `json` and FastAPI's validation) as a public
/// entry point, for the `mock-json` fuzz target.
public enum ChatterboxRequestParsing {
    /// Whether `bytes` are a JSON body the validator accepts as an object; never traps.
    public static func parses(_ bytes: [UInt8]) -> Bool {
        _ = try? PythonJSONDecoder.decode(String(decoding: bytes, as: UTF8.self))
        guard var reader = try? FastAPIBodyReader.parse(bytes) else { return false }
        // Every typed field accessor, as the routes use them.
        _ = reader.string("text")
        _ = reader.int("seed")
        _ = reader.float("speed")
        _ = reader.bool("split_text")
        _ = reader.literal("output_format", allowed: ["wav", "mp3", "opus"])
        return true
    }
}
