import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SynapseClock
import SynapseCore
import Testing

@testable import SynapseGateway

/// The recorder's decisions on the request path, without a server: the seeded sampling coin,
/// the route filter and the bound on exchanges in flight.
@Suite struct RecorderTests {
    static func request(_ path: String) -> Request {
        Request(head: HTTPRequest(method: .get, scheme: "http", authority: "gateway", path: path), body: RequestBody(buffer: ByteBuffer()))
    }

    static func recorder(seed: UInt64) -> Recorder {
        Recorder(wallClock: { Date(timeIntervalSince1970: 0) }, generator: SplitMix64(seed: seed), logger: Harness.quietLogger)
    }

    static func settings(_ configure: (inout RecordingSettings) -> Void) -> RecordingSettings {
        var settings = RecordingSettings(directory: FileManager.default.temporaryDirectory.appendingPathComponent("synapse-rec-\(UUID())").path)
        configure(&settings)
        return settings
    }

    @Test func theSeededCoinSamplesExactlyTheExpectedRequests() throws {
        let settings = Self.settings { $0.sampleRate = 0.25 }
        defer { try? FileManager.default.removeItem(atPath: settings.directory) }
        let recorder = Self.recorder(seed: 42)
        try recorder.start(settings)
        var taps: [RecordingTap] = []
        var decisions: [Bool] = []
        for _ in 0..<200 {
            let tap = recorder.tap(Self.request("/api/backend-routes"), route: "/api/backend-routes", backend: nil, upstreamPath: nil, requestID: "r")
            decisions.append(tap != nil)
            if let tap { taps.append(tap) }
        }
        var coin = SplitMix64(seed: 42)
        let expected = (0..<200).map { _ in Double.random(in: 0..<1, using: &coin) < 0.25 }
        #expect(decisions == expected)
        #expect((30...70).contains(taps.count))
    }

    @Test func offOrFilteredRequestsGetNoTap() throws {
        let recorder = Self.recorder(seed: 1)
        #expect(!recorder.isRecording)
        #expect(recorder.tap(Self.request("/v1/embeddings"), route: "/v1/embeddings", backend: nil, upstreamPath: nil, requestID: "r") == nil)
        let settings = Self.settings { $0.routes = ["/v1/", "/voices/{voice_id}"] }
        defer { try? FileManager.default.removeItem(atPath: settings.directory) }
        try recorder.start(settings)
        #expect(recorder.isRecording)
        #expect(recorder.tap(Self.request("/v1/embeddings"), route: "/v1/embeddings", backend: nil, upstreamPath: nil, requestID: "r") != nil)
        #expect(recorder.tap(Self.request("/voices/a"), route: "/voices/{voice_id}", backend: nil, upstreamPath: nil, requestID: "r") != nil)
        #expect(recorder.tap(Self.request("/tts/speak"), route: "/tts/speak", backend: nil, upstreamPath: nil, requestID: "r") == nil)
    }

    @Test func exchangesBeyondTheBoundAreDroppedAndCounted() throws {
        let settings = Self.settings { $0.maxPendingExchanges = 2 }
        defer { try? FileManager.default.removeItem(atPath: settings.directory) }
        let recorder = Self.recorder(seed: 1)
        try recorder.start(settings)
        let held = (0..<3).map { _ in
            recorder.tap(Self.request("/api/backend-routes"), route: "/api/backend-routes", backend: nil, upstreamPath: nil, requestID: "r")
        }
        #expect(held.map { $0 != nil } == [true, true, false])
        #expect(recorder.status.dropped == 1)
    }

    @Test func badSettingsAreRefusedWithTheReason() {
        let recorder = Self.recorder(seed: 1)
        #expect(throws: Recorder.StartError.self) { try recorder.start(Self.settings { $0.sampleRate = -1 }) }
        #expect(!recorder.isRecording)
    }
}
