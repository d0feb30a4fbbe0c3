import HTTPTypes
import SynapseCore

/// The checks a llama.cpp server makes on a chat request's `messages` before it renders the
/// prompt, with the real status and message of each failure.
///
/// Two stages, as in llama.cpp: `oaicompat_chat_params_parse` (tools/server/server-common.cpp)
/// throws `std::invalid_argument`, which the handler wrapper answers with 400
/// `invalid_request_error`; then `common_chat_msgs_parse_oaicompat` (common/chat.cpp) wraps its
/// own errors in a `std::runtime_error("Failed to parse messages: …")`, answered with 500
/// `server_error`.
///
/// | messages                                   | status | message |
/// |--------------------------------------------|--------|---------|
/// | absent                                     | 400 | `'messages' is required` |
/// | not an array                               | 400 | `Expected 'messages' to be an array` |
/// | an item without `content`, role not `assistant` (also a non-object item) | 400 | `All non-assistant messages must contain 'content'` |
/// | an `assistant` item without `content` and `tool_calls` | 400 | `Assistant message must contain either 'content' or 'tool_calls'!` |
/// | `content` neither string, null nor array   | 400 | `Expected 'content' to be a string or an array` |
/// | an item with `content` but no `role`       | 500 | `Failed to parse messages: Missing 'role' in message: {…}` |
/// | a `role` that is not a string              | 500 | `Failed to parse messages: [json.exception.type_error.302] type must be string, but is …` |
///
/// Any string role is accepted (the chat template renders it), and an empty array passes here
/// (the captured server then fails in its output parser; see `LlamaChatEndpoint`).
enum LlamaMessagesValidation {
    /// A failed check: the status and the message of the error envelope.
    struct Failure: Error, Equatable {
        let status: HTTPResponse.Status
        let message: String
    }

    /// The messages of a chat body, or why the server rejects them.
    static func messages(of body: JSONValue) -> Result<[JSONValue], Failure> {
        guard let value = body["messages"] else { return .failure(.init(status: .badRequest, message: "'messages' is required")) }
        guard let messages = value.arrayValue else {
            return .failure(.init(status: .badRequest, message: "Expected 'messages' to be an array"))
        }
        for message in messages {
            // `json_value(msg, "role", "")`: a missing or non-string role reads as "".
            let role = message["role"]?.stringValue ?? ""
            let content = message["content"]
            if role != "assistant" && content == nil {
                return .failure(.init(status: .badRequest, message: "All non-assistant messages must contain 'content'"))
            }
            if role == "assistant" && content == nil {
                guard message["tool_calls"] != nil else {
                    return .failure(.init(status: .badRequest, message: "Assistant message must contain either 'content' or 'tool_calls'!"))
                }
                continue
            }
            if let content, content.stringValue == nil, content != .null, content.arrayValue == nil {
                return .failure(.init(status: .badRequest, message: "Expected 'content' to be a string or an array"))
            }
        }
        for message in messages {
            guard let role = message["role"] else {
                return .failure(parseFailure("Missing 'role' in message: " + message.text()))
            }
            if role.stringValue == nil {
                return .failure(parseFailure("[json.exception.type_error.302] type must be string, but is " + typeName(role)))
            }
        }
        return .success(messages)
    }

    private static func parseFailure(_ reason: String) -> Failure {
        Failure(status: .internalServerError, message: "Failed to parse messages: " + reason)
    }

    /// nlohmann::json's `type_name()` for a value.
    private static func typeName(_ value: JSONValue) -> String {
        if value == .null { return "null" }
        if value.boolValue != nil { return "boolean" }
        if value.arrayValue != nil { return "array" }
        if value.stringValue != nil { return "string" }
        if value.intValue != nil || value.doubleValue != nil { return "number" }
        return "object"
    }
}
