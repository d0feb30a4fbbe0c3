import AsyncHTTPClient
import Foundation
import Logging
import MockAudio
import MockChatterbox
import NIOCore
import NIOHTTP1
import SynapseCore
import SynapseMockKit

@testable import SynapseGateway

/// Shared pieces of the voice and TTS tests: WAV makers, a scratch library folder, and a rig of
/// Chatterbox mock + gateway + client, all torn down when the test ends (also when it throws).
enum VoiceKit {
    /// A mono 16-bit sine WAV of exactly `seconds` (a plain tone, not mock speech).
    static func tone(seconds: Double, sampleRate: Int = 16_000) -> Data {
        let count = Int(seconds * Double(sampleRate))
        let samples = (0..<count).map { Int16(sin(Double($0) * 2 * .pi * 440 / Double(sampleRate)) * 9000) }
        return Data(WAVFile(samples: samples, sampleRate: sampleRate).encoded())
    }

    /// Mock speech in `voice` lasting longer than `seconds` (a sentence repeated until it does).
    static func speech(longerThan seconds: Double, voice: String, sentence: String = "I am reading this sentence for my voice sample.") -> Data {
        var text = sentence
        while MockSpeech.duration(of: text) <= seconds { text += " " + sentence }
        return Data(MockSpeech.synthesize(text: text, voice: voice))
    }

    /// Runs `body` with a fresh folder under the temporary directory, removed afterwards.
    static func withScratchFolder<T>(_ body: (String) async throws -> T) async throws -> T {
        let path = NSTemporaryDirectory() + "synapse-voices-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await body(path)
    }

    /// Entries in a folder whose names start with `prefix` (e.g. `.tmp-` leftovers).
    static func entries(in path: String, prefix: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// A multipart body with a `name` field (unless nil) and `files`.
    static func voiceForm(name: String?, files: [(String, Data)]) -> MultipartBody {
        var form = MultipartBody()
        if let name { form.parts.append((name: "name", filename: nil, contentType: nil, data: Data(name.utf8))) }
        for (filename, data) in files { form.parts.append((name: "files", filename: filename, contentType: "audio/wav", data: data)) }
        return form
    }

    /// Chatterbox mock (and, when asked, the Whisper mock) behind a gateway whose library is a scratch folder.
    /// - Parameter backendName: the Chatterbox backend's name; another than the original's is
    ///   routed `/tts/*` by the configuration's route table.
    static func withRig<T: Sendable>(
        chatterbox: ChatterboxMock = ChatterboxMock(configuration: .init(speechChunkDelay: .zero)),
        backendName: String = "chatterbox-tts",
        extraBackends: [String: Int] = [:],
        configure: @escaping @Sendable (inout SynapseConfig) -> Void = { _ in },
        _ body: @escaping @Sendable (VoiceRig) async throws -> T
    ) async throws -> T {
        try await withScratchFolder { folder in
            try await withMockServer(chatterbox, logger: Harness.quietLogger) { handle in
                let config = Harness.config([backendName: handle.port].merging(extraBackends) { $1 }) { config in
                    config.gateway.voiceLibraryDir = folder
                    if backendName != "chatterbox-tts" { config.routes.append(RouteRule(pattern: "/tts/*", backend: BackendID(backendName)!)) }
                    configure(&config)
                }
                return try await Harness.withGateway(config) { base in
                    try await Harness.withClient { client in
                        try await body(VoiceRig(base: base, client: client, chatterbox: handle, folder: folder))
                    }
                }
            }
        }
    }
}

/// A running gateway with its Chatterbox mock, library folder and client.
struct VoiceRig: Sendable {
    let base: String
    let client: HTTPClient
    let chatterbox: MockHandle
    let folder: String

    func send(_ method: HTTPMethod, _ path: String, json: [String: Any]) async throws -> Reply {
        let body = try JSONSerialization.data(withJSONObject: json)
        return try await client.send(method, base + path, headers: [("Content-Type", "application/json")], body: body)
    }

    func upload(_ path: String, _ form: MultipartBody) async throws -> Reply {
        try await client.send(.POST, base + path, headers: [("Content-Type", form.contentType)], body: form.data)
    }

    /// Creates a voice and returns its id (the test fails if the gateway refuses).
    func createVoice(name: String = "Test voice", files: [(String, Data)]) async throws -> String {
        let reply = try await upload("/voices", VoiceKit.voiceForm(name: name, files: files))
        guard reply.status == 201, let id = reply.json?["voice_id"] as? String else {
            throw RigError.unexpected("POST /voices answered \(reply.status): \(reply.text)")
        }
        return id
    }

    func synthesize(_ fields: [String: Any], path: String = "/tts/synthesize") async throws -> Reply {
        try await send(.POST, path, json: fields)
    }

    /// What Chatterbox received, as `METHOD path` lines.
    var calls: [String] { chatterbox.journal.entries.filter { $0.path != "/api/ui/initial-data" }.map { "\($0.method) \($0.path)" } }

    var uploads: [JournalEntry] { chatterbox.journal.entries.filter { $0.path == "/upload_reference" } }
    var ttsCalls: [JournalEntry] { chatterbox.journal.entries.filter { $0.path == "/tts" } }
}

enum RigError: Error { case unexpected(String) }
