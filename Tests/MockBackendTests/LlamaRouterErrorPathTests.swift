import Foundation
import MockLlama
import NIOHTTP1
import Testing

/// Error paths of the llama router mock that the transcripts do not show, as llama.cpp's source
/// answers them: which process answers (router or relayed child, which adds
/// `X-Accel-Buffering: no`), the status, and the envelope.
@Suite struct LlamaRouterErrorPathTests {
    static let model = "Qwen3-8B-Q4_K_M"

    /// A router with `model` loaded.
    static func withLoadedRouter(_ body: (String) async throws -> Void) async throws {
        let clock = LlamaTestClock()
        let mock = LlamaRouterMock(configuration: .init(loadTime: .zero), time: clock.mockTime)
        try await withLlamaServer(mock, time: clock.mockTime) { base in
            _ = try await LlamaHTTP.post(base + "/models/load", #"{"model":"\#(model)"}"#)
            try #require(mock.status(of: model) == "loaded")
            try await body(base)
        }
    }

    struct MessagesCase: Sendable, CustomTestStringConvertible {
        let messages: String
        let status: Int
        let message: String?
        var testDescription: String { "messages \(messages) → \(status)" }
    }

    static let messagesCases: [MessagesCase] = [
        .init(messages: #""hi""#, status: 400, message: "Expected 'messages' to be an array"),
        .init(messages: #"{"role":"user","content":"hi"}"#, status: 400, message: "Expected 'messages' to be an array"),
        .init(messages: #"["hi"]"#, status: 400, message: "All non-assistant messages must contain 'content'"),
        .init(messages: #"[{"role":"user"}]"#, status: 400, message: "All non-assistant messages must contain 'content'"),
        .init(messages: #"[{"role":"assistant"}]"#, status: 400, message: "Assistant message must contain either 'content' or 'tool_calls'!"),
        .init(messages: #"[{"role":"user","content":5}]"#, status: 400, message: "Expected 'content' to be a string or an array"),
        .init(messages: #"[{"content":"hi"}]"#, status: 500, message: #"Failed to parse messages: Missing 'role' in message: {"content":"hi"}"#),
        .init(
            messages: #"[{"role":7,"content":"hi"}]"#, status: 500,
            message: "Failed to parse messages: [json.exception.type_error.302] type must be string, but is number"),
        // Any string role renders; the template does not know a list of roles.
        .init(messages: #"[{"role":"wizard","content":"hi"}]"#, status: 200, message: nil),
    ]

    @Test(arguments: messagesCases)
    func invalidMessagesGetTheChildsAnswer(_ example: MessagesCase) async throws {
        try await Self.withLoadedRouter { base in
            let reply = try await LlamaHTTP.post(
                base + "/v1/chat/completions", #"{"model":"\#(Self.model)","messages":\#(example.messages),"max_tokens":1}"#)
            #expect(reply.status == example.status)
            #expect(reply.errorMessage == example.message)
            // Answered by the child and relayed by the router.
            #expect(reply.headers.first(name: "X-Accel-Buffering") == "no")
            if example.message != nil {
                let type = example.status == 400 ? "invalid_request_error" : "server_error"
                #expect(reply.text.hasPrefix(#"{"error":{"code":\#(example.status),"message":"#))
                #expect(reply.text.hasSuffix(#""type":"\#(type)"}}"#))
            }
        }
    }

    @Test func theRouterChecksTheModelBeforeTheChildSeesTheMessages() async throws {
        let mock = LlamaRouterMock(time: LlamaTestClock().mockTime)
        try await withLlamaServer(mock) { base in
            let reply = try await LlamaHTTP.post(base + "/v1/chat/completions", #"{"model":"\#(Self.model)","messages":"hi"}"#)
            #expect(reply.status == 400)
            #expect(reply.errorMessage == "model is not loaded")
            #expect(reply.headers.first(name: "X-Accel-Buffering") == nil)
        }
    }

    @Test(arguments: [
        (HTTPMethod.GET, "/v1/chat/completions"), (.GET, "/models/load"), (.POST, "/health"), (.DELETE, "/models"),
        (.PUT, "/v1/completions"), (.GET, "/no/such/path"),
    ])
    func wrongMethodsAndUnknownPathsGetTheHTTPLayers404(method: HTTPMethod, path: String) async throws {
        let mock = LlamaRouterMock(time: LlamaTestClock().mockTime)
        try await withLlamaServer(mock) { base in
            let reply = try await LlamaHTTP.send(base + path, method: method, headers: [("Origin", "http://ui.example")])
            #expect(reply.status == 404)
            #expect(reply.text == #"{"error":{"message":"File Not Found","type":"not_found_error","code":404}}"#)
            #expect(reply.headers.first(name: "Content-Type") == "application/json; charset=utf-8")
            #expect(reply.headers.first(name: "Access-Control-Allow-Origin") == "http://ui.example")
            #expect(reply.headers.first(name: "X-Accel-Buffering") == nil)
        }
    }

    @Test(arguments: ["/v1/chat/completions", "/models/load", "/no/such/path"])
    func corsPreflightIsAnsweredByTheRouterOnAnyPath(path: String) async throws {
        let mock = LlamaRouterMock(time: LlamaTestClock().mockTime)
        try await withLlamaServer(mock) { base in
            let reply = try await LlamaHTTP.send(
                base + path, method: .OPTIONS,
                headers: [("Origin", "http://ui.example"), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "content-type")])
            #expect(reply.status == 200)
            #expect(reply.text.isEmpty)
            #expect(reply.headers.first(name: "Content-Type") == "text/html")
            #expect(reply.headers.first(name: "Access-Control-Allow-Origin") == "http://ui.example")
            #expect(reply.headers.first(name: "Access-Control-Allow-Credentials") == "true")
            #expect(reply.headers.first(name: "Access-Control-Allow-Methods") == "GET, POST")
            #expect(reply.headers.first(name: "Access-Control-Allow-Headers") == "*")
            #expect(reply.headers.first(name: "Server") == "llama.cpp")
            #expect(reply.headers.first(name: "X-Accel-Buffering") == nil)
            // No model was loaded by the preflight of a load.
            #expect(mock.status(of: Self.model) == "unloaded")
        }
    }
}
