import Foundation
import MockAudio
import MockChatterbox
import MockFastAPI
import MockLlama
import NIOCore
import SynapseCore
import SynapseGateway
import SynapseScenarios

/// The parser targets: each a function from bytes to "parsed or refused", never a trap.
extension FuzzTargets {
    /// WAV: the whole-file header parser, the decoder, the excerpt cutter and the incremental
    /// scanner fed in 7-byte pieces (with its "why incomplete" answer), checked against the
    /// whole-prefix parser.
    static let wav = ParserTarget(
        name: "wav", seeds: [WAVFile.encode(samples: (0..<64).map { Int16($0 * 300) }, sampleRate: 16_000)],
        dictionary: ["RIFF", "WAVE", "fmt ", "data", "LIST", "INFO", "JUNK", "ICMT"]
    ) { bytes in
        _ = try? WAVHeader.parse(bytes)
        _ = try? WAVFile(bytes: bytes)
        _ = try? WAVFile.excerpt(of: bytes, firstSeconds: 0.001)
        var scanner = WAVHeaderScanner(maximumHeaderSize: 4096)
        var offset = 0
        while offset < bytes.count {
            guard (try? scanner.feed(bytes[offset..<min(bytes.count, offset + 7)])) != nil else { break }
            offset += 7
        }
        _ = scanner.incompleteReason
        // A differential check: where the whole-prefix parser finds a header, the incremental
        // scanner must find the same one (a disagreement traps, so it is reported as a crash).
        if case .header(let expected)? = try? WAVHeader.parse(prefix: bytes, maximumHeaderSize: 4096), scanner.header != expected {
            fatalError("WAVHeaderScanner disagrees with WAVHeader.parse(prefix:)")
        }
    }

    /// Multipart: the first line is the Content-Type, the rest the body, fed whole to the form
    /// parser and in pieces (sized by the input's first byte) to the streaming parser.
    static let multipart = ParserTarget(
        name: "multipart",
        seeds: [
            Array(
                "multipart/form-data; boundary=XyZ\n--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhello\r\n--XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"x.wav\"\r\nContent-Type: audio/wav\r\n\r\nRIFF\r\n--XyZ--\r\n"
                    .utf8)
        ],
        dictionary: ["--", "\r\n", "\r\n\r\n", "boundary=", "Content-Disposition: form-data; ", "name=", "filename*=UTF-8''", "%FF", "\"", "--XyZ", "--XyZ--"]
    ) { bytes in
        let newline = bytes.firstIndex(of: 10) ?? bytes.count
        let contentType = String(decoding: bytes[..<newline], as: UTF8.self)
        let body = Array(bytes[min(bytes.count, newline + 1)...])
        _ = HeaderParameters(contentType)
        guard let boundary = MultipartForm.boundary(fromContentType: contentType) else { return }
        _ = try? MultipartForm.parse(body: body, boundary: boundary)
        guard var parser = try? MultipartParser(boundary: boundary, maxHeaderBytes: 512) else { return }
        let piece = 1 + Int(bytes.first ?? 0) % 64
        var offset = 0
        while offset < body.count {
            guard (try? parser.feed(body[offset..<min(body.count, offset + piece)])) != nil else { return }
            offset += piece
        }
        try? parser.finish()
    }

    /// The `X-Mock-Fault` compact form, and fault specs and rules as JSON.
    static let faultSpec = ParserTarget(
        name: "fault-spec",
        seeds: ["status=503;retry_after=2", "latency=200;jitter_ms=50", "truncate;after_events=2", #"{"kind":"stall","after_events":2,"ms":5}"#].map {
            Array($0.utf8)
        },
        dictionary: [
            "status", "latency", "reset", "hang", "refuse", "malformed", "slow_body", "truncate", "stall", "load_failure", "ms", "jitter_ms", "after_bytes",
            "after_events", "retry_after", "bytes_per_second", "kind", "probability", "times",
        ],
        maximumInputSize: 1024
    ) { bytes in
        _ = try? FaultSpec(compact: String(decoding: bytes, as: UTF8.self))
        _ = try? JSONDecoder().decode(FaultSpec.self, from: Data(bytes))
        _ = try? JSONDecoder().decode(FaultRule.self, from: Data(bytes))
    }

    /// `backends.yaml` through the whole loader (YAML, environment overrides, validation).
    static let config = ParserTarget(
        name: "config",
        seeds: [
            Array(
                "version: 1\ngateway: { port: 8000 }\nbackends:\n  a:\n    url: http://127.0.0.1:1\n    type: openai-compatible\n    breaker: { failureThreshold: 5, openFor: 30s }\nroutes:\n  /v1/*: a\n"
                    .utf8)
        ],
        dictionary: [
            "&a", "*a", "<<: ", ": ", "- ", "\n  ", "backends:", "routes:", "gateway:", "timeoutProfiles:", "models:", "url:", "10MiB", "500ms", "1e300s",
            "!!binary", "|", ">", "? ",
        ]
    ) { bytes in
        _ = ConfigLoader(environment: ["SYNAPSE_GATEWAY_PORT": "1"]).load(yaml: String(decoding: bytes, as: UTF8.self))
    }

    /// Scenario files through the scenario parser.
    static let scenario = ParserTarget(
        name: "scenario",
        seeds: [
            Array("name: s\nseed: 1\nmocks: [llama-embed]\nsteps:\n  - send: { path: /v1/embeddings, count: 2 }\n  - expect: { status: { 200: 2 } }\n".utf8)
        ],
        dictionary: ["&a", "*a", ": ", "- ", "\n  ", "steps:", "send:", "expect:", "inject:", "wait:", "count:", "concurrency:", "${", "}", "status:", "path:"]
    ) { bytes in
        _ = try? ScenarioParser.parse(yaml: String(decoding: bytes, as: UTF8.self), file: "fuzz.yaml")
    }

    /// JSON request bodies: Core's parser (what `LLMRequestBody` and the gateway's JSON routes
    /// use), the writer, and the model-profile normaliser on any object; the router's split
    /// model ids (`…-00001-of-00002`) from the whole input.
    static let json = ParserTarget(
        name: "json", seeds: [Array(#"{"model":"m","messages":[{"role":"user","content":"hi"}],"ctx_size":4096,"temperature":0.5,"stream":true}"#.utf8)],
        dictionary: [
            "{", "}", "[", "]", "\"", "\\u", "\\uD800", "true", "null", "1e999", "-0", "ctx_size", "temperature", "n_gpu_layers", "model", "runtime_ctx_size",
            "-00001-of-00002", "-of-",
        ]
    ) { bytes in
        _ = ModelListing.SplitID(String(decoding: bytes, as: UTF8.self))
        guard let value = try? SynapseCore.JSONValue.parse(bytes) else { return }
        _ = value.text()
        guard case .object(let members) = value else { return }
        _ = try? ModelProfileSchema.normalize(members, modelID: "m")
    }

    /// The mocks' own JSON readers: the llama mocks' (nlohmann's behaviour) and Chatterbox's
    /// (Python's `json`, then FastAPI's typed fields).
    static let mockJSON = ParserTarget(
        name: "mock-json",
        seeds: [
            Array(#"{"text":"hi","seed":1e300,"speed":NaN,"split_text":1,"output_format":"wav","messages":[{"role":"user","content":"\ud83d\ude00"}]}"#.utf8)
        ],
        dictionary: ["{", "}", "[", "]", "\"", "\\u", "\\uD800", "NaN", "Infinity", "-Infinity", "1e999", "true", "null", "seed", "speed"]
    ) { bytes in
        _ = LlamaRequestParsing.parses(bytes)
        _ = ChatterboxRequestParsing.parses(bytes)
    }

    /// Backend answers as the fast path reads them off a relay connection (`RelayResponseParser`),
    /// fed in pieces sized by the input's first byte, answer after answer, then the connection's end.
    static let relayResponse = ParserTarget(
        name: "relay-response",
        seeds: [
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 27\r\n\r\n{\"object\":\"list\",\"data\":[]}",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/event-stream\r\n\r\n6;a=b\r\ndata: \r\n0\r\nX: y\r\n\r\n",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nHTTP/1.0 500 Oops\r\n\r\nuntil the end",
        ].map { Array($0.utf8) },
        dictionary: [
            "HTTP/1.1 ", "HTTP/1.0 ", "\r\n", "\r\n\r\n", "Content-Length: ", "Transfer-Encoding: chunked", "Transfer-Encoding: gzip", "0\r\n\r\n",
            ";ext=1", "fffffffffffffff", "18446744073709551616", " 101 ", " 304 ", ": ",
        ]
    ) { bytes in
        var parser = RelayResponseParser()
        let piece = 1 + Int(bytes.first ?? 0) % 64
        var offset = 0
        while offset < bytes.count {
            var buffer = ByteBuffer(bytes: bytes[offset..<min(bytes.count, offset + piece)])
            offset += piece
            // After an answer's end the rest of the piece is read as the next answer.
            while buffer.readableBytes > 0 {
                let before = buffer.readableBytes
                guard (try? parser.parse(&buffer) { _ in }) != nil else { return }
                if buffer.readableBytes == before, buffer.readableBytes > 0 { fatalError("RelayResponseParser made no progress") }
            }
        }
        _ = try? parser.finish()
    }

    /// Client request heads as the gateway reads them off the socket (`WireRequestHead`), held to
    /// NIO's reading of the same bytes (`WireRequestOracle`): a difference is a crash.
    static let wireRequest = ParserTarget(
        name: "wire-request",
        seeds: [
            "POST /v1/embeddings HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"input\":\"a\"}",
            "GET /health HTTP/1.1\r\nhost: a\r\nHOST: b\r\nX-Empty:\r\nX-Tab:\t v \t\r\n\r\n",
        ].map { Array($0.utf8) },
        dictionary: [
            "POST ", "GET ", " HTTP/1.1\r\n", "\r\n", "\r\n\r\n", "Content-Length: ", "Transfer-Encoding: chunked", "Host: ", "Cookie: a=1; b=2",
            "Connection: keep-alive", ": ", "\t", "\n", "http://x/y",
        ]
    ) { bytes in
        if let difference = WireRequestOracle.difference(bytes) { fatalError("wire-request: \(difference)") }
    }

    /// The mocks' audio reader (libsndfile behind `AudioDecoder`), mock speech recognition and their form parser.
    static let audio = ParserTarget(
        name: "audio", seeds: audioSeeds,
        dictionary: ["fLaC", "OggS", "\u{7F}FLAC", "ID3", "\u{FF}\u{FB}", "Xing", "Info", "OpusHead", "\u{01}vorbis"], maximumInputSize: 32 * 1024
    ) { bytes in
        _ = try? AudioDecoder.read(bytes)
        _ = MockSpeech.decode(bytes)
        _ = try? FastAPIForm(contentType: "multipart/form-data; boundary=b", body: bytes)
    }

    /// Short files from the mocks' encoder, one per container.
    static var audioSeeds: [[UInt8]] {
        let samples = (0..<2_400).map { Int16(truncatingIfNeeded: $0 &* 97) }
        let compressed = [AudioFormat.flac, .ogg, .opus, .mp3].compactMap { format in
            try? AudioEncoder(format: format, sampleRate: 24_000, bitrate: 32).encode(samples)
        }
        return [WAVFile.encode(samples: samples, sampleRate: 24_000)] + compressed
    }
}
