import AsyncHTTPClient
import Foundation
import MockLlama
import NIOCore
import NIOHTTP1
import Testing

/// Behaviour of the llama mocks beyond the transcripts: determinism, vector maths, load timing,
/// streaming one event at a time, token limits.
@Suite struct LlamaMockBehaviourTests {
    /// POSTs JSON and returns status and parsed body.
    static func post(_ url: String, _ json: String) async throws -> (status: Int, body: Any) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return (Int(response.status.code), try JSONSerialization.jsonObject(with: Data(bytes.readableBytesView), options: [.fragmentsAllowed]))
    }

    static func get(_ url: String) async throws -> Any {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return try JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))
    }

    static func vectors(_ body: Any) -> [[Double]] {
        ((body as? [String: Any])?["data"] as? [[String: Any]] ?? []).compactMap { $0["embedding"] as? [Double] }
    }

    @Test func sameTextGivesSameUnitVectorAndOtherTextsDiffer() async throws {
        let mock = LlamaEmbedMock(time: LlamaTestClock().mockTime)
        try await withLlamaServer(mock) { base in
            let first = try await Self.post(base + "/v1/embeddings", #"{"input":["the quick brown fox","the quick brown fox","a slow green turtle"]}"#)
            let vectors = Self.vectors(first.body)
            try #require(vectors.count == 3)
            #expect(vectors[0].count == 1024)
            let norm = vectors[0].reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 1e-5)
            #expect(vectors[0] == vectors[1])
            #expect(vectors[0] != vectors[2])
            let again = Self.vectors(try await Self.post(base + "/v1/embeddings", #"{"input":"the quick brown fox"}"#).body)
            #expect(again.first == vectors[0])
        }
    }

    @Test func similarTextsAreCloserThanUnrelatedTexts() {
        let embedder = LlamaEmbedder(dimensions: 256)
        let a = embedder.vector(for: "the gateway retries failed requests")
        let b = embedder.vector(for: "the gateway retries failed calls")
        let c = embedder.vector(for: "purple elephants dance at midnight")
        let dot = { (x: [Float], y: [Float]) in zip(x, y).reduce(Float(0)) { $0 + $1.0 * $1.1 } }
        #expect(dot(a, b) > dot(a, c) + 0.2)
    }

    @Test func base64EmbeddingDecodesToTheSameFloats() async throws {
        let mock = LlamaEmbedMock(configuration: .init(model: .tinyTranscriptModel), time: LlamaTestClock().mockTime)
        try await withLlamaServer(mock) { base in
            let floats = Self.vectors(try await Self.post(base + "/v1/embeddings", #"{"input":"hello world"}"#).body)
            let encoded = try await Self.post(base + "/v1/embeddings", #"{"input":"hello world","encoding_format":"base64"}"#)
            let item = try #require(((encoded.body as? [String: Any])?["data"] as? [[String: Any]])?.first)
            let text = try #require(item["embedding"] as? String)
            let data = try #require(Data(base64Encoded: text))
            let decoded = stride(from: 0, to: data.count, by: 4).map { offset in
                Double(Float(bitPattern: data[offset..<offset + 4].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) }))
            }
            // Compared as float32: Foundation's JSON parser may miss the double's last bit.
            #expect(decoded.map { Float($0) } == floats.first?.map { Float($0) })
            #expect(item["encoding_format"] as? String == "base64")
        }
    }

    @Test func inputLongerThanTheBatchGetsTheRealServerError() async throws {
        let mock = LlamaEmbedMock(time: LlamaTestClock().mockTime)
        try await withLlamaServer(mock) { base in
            let long = Array(repeating: "word", count: 600).joined(separator: " ")
            let answer = try await Self.post(base + "/v1/embeddings", #"{"input":"\#(long)"}"#)
            #expect(answer.status == 500)
            let message = ((answer.body as? [String: Any])?["error"] as? [String: Any])?["message"] as? String
            #expect(message == "input (601 tokens) is too large to process. increase the physical batch size (current batch size: 512)")
        }
    }

    @Test func loadMovesFromLoadingToLoadedWhenTheClockPassesTheLoadTime() async throws {
        let clock = LlamaTestClock()
        let mock = LlamaRouterMock(configuration: .init(loadTime: .seconds(5)), time: clock.mockTime)
        try await withLlamaServer(mock) { base in
            #expect(mock.status(of: "Qwen3-8B-Q4_K_M") == "unloaded")
            let load = try await Self.post(base + "/models/load", #"{"model":"Qwen3-8B-Q4_K_M"}"#)
            #expect(load.status == 200)
            #expect(mock.status(of: "Qwen3-8B-Q4_K_M") == "loading")
            clock.advance(by: .seconds(4))
            #expect(mock.status(of: "Qwen3-8B-Q4_K_M") == "loading")
            clock.advance(by: .seconds(1))
            let models = try await Self.get(base + "/models") as? [String: Any]
            let first = try #require((models?["data"] as? [[String: Any]])?.first)
            let status = try #require(first["status"] as? [String: Any])
            #expect(status["value"] as? String == "loaded")
            let args = status["args"] as? [String] ?? []
            #expect(args.firstIndex(of: "--ctx-size").map { args[$0 + 1] } == "16384")
        }
    }

    @Test func loadingASecondModelUnloadsTheFirst() async throws {
        let clock = LlamaTestClock()
        let mock = LlamaRouterMock(configuration: .init(loadTime: .seconds(1)), time: clock.mockTime)
        try await withLlamaServer(mock) { base in
            _ = try await Self.post(base + "/models/load", #"{"model":"Qwen3-8B-Q4_K_M"}"#)
            clock.advance(by: .seconds(1))
            _ = try await Self.post(base + "/models/load", #"{"model":"Qwen2.5-Coder-7B-Instruct-Q4_K_M"}"#)
            #expect(mock.status(of: "Qwen3-8B-Q4_K_M") == "unloaded")
            #expect(mock.status(of: "Qwen2.5-Coder-7B-Instruct-Q4_K_M") == "loading")
        }
    }

    @Test func modelConfiguredToFailEndsUnloadedWithFailedAndExitCode() async throws {
        let clock = LlamaTestClock()
        let configuration = LlamaRouterMock.Configuration(models: [.init(id: "broken", failsToLoad: true)], loadTime: .seconds(1))
        let mock = LlamaRouterMock(configuration: configuration, time: clock.mockTime)
        try await withLlamaServer(mock) { base in
            _ = try await Self.post(base + "/models/load", #"{"model":"broken"}"#)
            clock.advance(by: .seconds(1))
            let models = try await Self.get(base + "/models") as? [String: Any]
            let status = try #require(((models?["data"] as? [[String: Any]])?.first)?["status"] as? [String: Any])
            #expect(status["value"] as? String == "unloaded")
            #expect(status["failed"] as? Bool == true)
            #expect(status["exit_code"] as? Int == 1)
        }
    }

    @Test func maxTokensCutsTheAnswerWithFinishReasonLength() async throws {
        let clock = LlamaTestClock()
        let mock = LlamaRouterMock(configuration: .init(loadTime: .zero), time: clock.mockTime)
        try await withLlamaServer(mock) { base in
            _ = try await Self.post(base + "/models/load", #"{"model":"Qwen3-8B-Q4_K_M"}"#)
            let body = #"{"model":"Qwen3-8B-Q4_K_M","messages":[{"role":"user","content":"Tell me about retries"}],"max_tokens":3}"#
            let answer = try await Self.post(base + "/v1/chat/completions", body)
            let choice = try #require(((answer.body as? [String: Any])?["choices"] as? [[String: Any]])?.first)
            #expect(choice["finish_reason"] as? String == "length")
            let usage = (answer.body as? [String: Any])?["usage"] as? [String: Any]
            #expect(usage?["completion_tokens"] as? Int == 3)
            let again = try await Self.post(base + "/v1/chat/completions", body)
            let content = { (b: Any) in (((b as? [String: Any])?["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"] as? String }
            #expect(content(again.body) == content(answer.body))
            #expect(content(answer.body)?.isEmpty == false)
        }
    }

    @Test func streamedEventsReachTheClientOneAtATime() async throws {
        let clock = LlamaTestClock(gated: true)
        let mock = LlamaRouterMock(configuration: .init(loadTime: .zero), time: clock.mockTime)
        try await withLlamaServer(mock) { base in
            _ = try await Self.post(base + "/models/load", #"{"model":"Qwen3-8B-Q4_K_M"}"#)
            var request = HTTPClientRequest(url: base + "/v1/chat/completions")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"model":"Qwen3-8B-Q4_K_M","messages":[{"role":"user","content":"Hi"}],"max_tokens":3,"stream":true}"#))
            var sleeps = clock.sleeps.makeAsyncIterator()
            async let responseTask = HTTPClient.shared.execute(request, timeout: .seconds(30))
            _ = await sleeps.next()  // time to first token
            clock.releaseOne()
            let response = try await responseTask
            #expect(response.headers.first(name: "content-type") == "text/event-stream")
            var chunks = response.body.makeAsyncIterator()
            let first = String(buffer: try #require(try await chunks.next()))
            // The role delta and the first token, and nothing else yet: the mock is asleep before token 2.
            #expect(first.components(separatedBy: "data: ").count - 1 == 2)
            #expect(first.contains(#""role":"assistant""#))
            _ = await sleeps.next()
            clock.releaseOne()
            let second = String(buffer: try #require(try await chunks.next()))
            #expect(second.hasPrefix("data: {") && second.hasSuffix("}\n\n"))
            _ = await sleeps.next()
            clock.releaseOne()
            var rest = ""
            while let chunk = try await chunks.next() { rest += String(buffer: chunk) }
            #expect(rest.contains(#""finish_reason":"length""#))
            #expect(rest.hasSuffix("data: [DONE]\n\n"))
            #expect(!rest.contains("\r"))
        }
    }

    @Test func malformedBodiesGetNlohmannParserMessages() async throws {
        let mock = LlamaEmbedMock(time: LlamaTestClock().mockTime)
        try await withLlamaServer(mock) { base in
            let answer = try await Self.post(base + "/v1/embeddings", "")
            #expect(answer.status == 500)
            let message = ((answer.body as? [String: Any])?["error"] as? [String: Any])?["message"] as? String
            #expect(message?.hasPrefix("[json.exception.parse_error.101] parse error at line 1, column 1: attempting to parse an empty input") == true)
        }
    }
}
