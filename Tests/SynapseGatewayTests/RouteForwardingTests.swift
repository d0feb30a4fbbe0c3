import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOHTTP1
import SynapseCore
import Testing

@testable import SynapseGateway

/// Every pass-through route forwards method, path, query, headers and body, and returns the
/// backend's answer unchanged.
@Suite struct RouteForwardingTests {
    static let backends = ["llama-embed", "llama-router", "whisper-stt", "pyannote-speaker", "deepfilter-audio"]

    static func requestBody(for route: ForwardRoute) -> (contentType: String?, body: Data?) {
        switch route.body {
        case .none: return (nil, nil)
        case .json: return ("application/json", Data(#"{"model":"m","input":"hello ünïcode"}"#.utf8))
        case .multipart:
            var form = MultipartBody()
            form.parts.append(("file", "clip.wav", "audio/wav", Data((0..<3000).map { UInt8($0 % 251) })))
            for (name, value) in [
                ("language", "en"), ("word_timestamps", "false"), ("num_speakers", "2"), ("min_speakers", "1"),
                ("max_speakers", "3"), ("output_format", "mp3"), ("sample_rate", "16000"), ("bitrate", "128k"),
            ] {
                form.parts.append((name, nil, nil, Data(value.utf8)))
            }
            return (form.contentType, form.data)
        }
    }

    @Test(arguments: ForwardRoute.catalogue)
    func routeForwardsRequestAndAnswer(route: ForwardRoute) async throws {
        let paths = ForwardRoute.catalogue.map { ($0.method, $0.backendPath) }
        try await Harness.withUpstream({ EchoUpstream.register($0, paths: paths) }) { port in
            let config = Harness.config(Dictionary(uniqueKeysWithValues: Self.backends.map { ($0, port) }))
            try await Harness.withGateway(config) { gateway in
                try await Harness.withClient { client in
                    let (contentType, body) = Self.requestBody(for: route)
                    var headers = [("X-Custom", "value"), ("X-Request-ID", "req-123"), ("Connection", "keep-alive, X-Hop"), ("X-Hop", "secret")]
                    if let contentType { headers.append(("Content-Type", contentType)) }
                    let reply = try await client.send(.init(rawValue: route.method.rawValue), gateway + route.path + "?a=1&b=two", headers: headers, body: body)

                    #expect(reply.status == 200)
                    #expect(reply.header("X-Request-ID") == "req-123")
                    #expect(reply.header("X-Private") == nil, "a header named by the backend's Connection header is hop-by-hop")
                    let echo = try #require(reply.json)
                    #expect(echo["method"] as? String == route.method.rawValue)
                    #expect(echo["path"] as? String == route.backendPath)
                    #expect(echo["query"] as? String == "a=1&b=two")
                    let seen = try #require(echo["headers"] as? [String: String])
                    #expect(seen["x-custom"] == "value")
                    #expect(seen["x-request-id"] == "req-123")
                    #expect(seen["x-forwarded-for"] == "127.0.0.1")
                    #expect(seen["x-forwarded-proto"] == "http")
                    #expect(seen["x-hop"] == nil)
                    #expect(echo["authority"] as? String == "127.0.0.1:\(port)", "the backend gets its own Host")
                    if let contentType { #expect(seen["content-type"] == contentType) }
                    #expect((echo["body"] as? String) == body.map { String(decoding: $0, as: UTF8.self) } ?? "")

                    switch route.presentation {
                    case .passThrough:
                        #expect(reply.header("X-Upstream") == "echo")
                        #expect(reply.header("Content-Type") == "application/json")
                    case .attachment(let mediaType, let filename):
                        #expect(reply.header("Content-Type") == mediaType)
                        #expect(reply.header("Content-Disposition") == "attachment; filename=\(filename)")
                    case .convertedAudio:
                        #expect(reply.header("Content-Type") == "audio/mpeg")
                        #expect(reply.header("Content-Disposition") == "attachment; filename=converted.mp3")
                    }
                }
            }
        }
    }
}

extension ForwardRoute: CustomTestStringConvertible {
    public var testDescription: String { "\(method.rawValue) \(path)" }
}
