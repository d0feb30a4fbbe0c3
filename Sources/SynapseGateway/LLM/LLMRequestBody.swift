import NIOCore
import SynapseCore

/// The JSON object body of an LLM or `/models*` request, checked by hand as the original does
/// (400 `{"detail": …}`, never 422), with Python's `json` wording for syntax errors.
enum LLMRequestBody {
    /// The members of the body object, in order.
    static func object(from body: ByteBuffer, required: Bool = true) throws(GatewayError) -> [(String, JSONValue)] {
        guard body.readableBytes > 0 else {
            if required { throw .badLLMRequest("Request body is required") }
            return []
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(body.readableBytesView)
        } catch {
            throw .badLLMRequest("Invalid JSON body: \(pythonMessage(for: error))")
        }
        guard case .object(let members) = value else { throw .badLLMRequest("JSON body must be an object") }
        return members
    }

    /// `json.JSONDecodeError.msg` for the same fault (Python names the expectation, not the byte).
    static func pythonMessage(for error: JSONParseError) -> String {
        switch error.reason {
        case .expectedKey: "Expecting property name enclosed in double quotes"
        case .expectedColon: "Expecting ':' delimiter"
        case .expectedCommaOrEnd: "Expecting ',' delimiter"
        case .controlCharacterInString: "Invalid control character at"
        case .invalidEscape: "Invalid \\escape"
        case .invalidUnicodeEscape: "Invalid \\uXXXX escape"
        case .trailingCharacters: "Extra data"
        case .unexpectedEndOfInput, .expectedValue, .invalidLiteral, .invalidNumber, .invalidUTF8, .tooDeeplyNested: "Expecting value"
        }
    }
}
