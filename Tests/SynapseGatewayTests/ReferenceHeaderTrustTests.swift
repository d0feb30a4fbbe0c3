import Foundation
import SynapseCore
import Testing

@testable import SynapseGateway

/// The voice upload reads the WAV header incrementally and measures the 5 s rule from the
/// samples received, so neither a header of padding nor a header's claims can be abused.
@Suite struct ReferenceHeaderTrustTests {
    /// 6 bytes of samples whose header claims 1 Hz: "6 s long" by the header alone.
    static let sixBytesAtOneHertz: Data = {
        var bytes = Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WAVE".utf8)
        bytes += Array("fmt ".utf8) + [16, 0, 0, 0, 1, 0, 1, 0] + [1, 0, 0, 0] + [1, 0, 0, 0] + [1, 0, 8, 0]
        bytes += Array("data".utf8) + [6, 0, 0, 0] + [1, 2, 3, 4, 5, 6]
        bytes[4] = UInt8(bytes.count - 8)
        return Data(bytes)
    }()

    @Test func aHeaderClaimingOneHertzCannotMakeSixBytesLong() async throws {
        try await VoiceKit.withRig { rig in
            let reply = try await rig.upload("/voices", VoiceKit.voiceForm(name: "tiny", files: [("tiny.wav", Self.sixBytesAtOneHertz)]))
            #expect(reply.status == 400)
            let message = ((reply.json?["error"] as? [String: Any])?["message"] as? String) ?? ""
            #expect(message.contains("sample rate of 1 Hz"), "\(message)")
            #expect(VoiceKit.entries(in: rig.folder).isEmpty)
        }
    }

    @Test func aReferenceWithAHeaderOfPaddingChunksIsAccepted() async throws {
        let file = Data(WAVHeaderScannerTests_padded(padding: 420 * 1024))
        try await VoiceKit.withRig { rig in
            let reply = try await rig.upload("/voices", VoiceKit.voiceForm(name: "padded", files: [("padded.wav", file)]))
            #expect(reply.status == 201, "\(reply.text)")
        }
    }

    @Test func theReceiverScansEachHeaderByteOnceWhateverThePieces() async throws {
        let file = WAVHeaderScannerTests_padded(padding: 420 * 1024)
        let header = try WAVHeader.parse(file)
        try await VoiceKit.withScratchFolder { folder in
            let library = VoiceLibrary(root: folder)
            let staged = try StagedFile(creating: folder + "/padded.wav")
            var receiver = ReferenceReceiver(file: staged, filename: "padded.wav", limits: .init())
            for start in stride(from: 0, to: file.count, by: 512) {
                try await receiver.receive(Array(file[start..<min(file.count, start + 512)]), library: library)
            }
            #expect(receiver.headerBytesScanned == header.dataOffset)
            let reference = try await receiver.finish(library: library)
            #expect(abs(reference.duration - 6) < 0.001)
        }
    }
}

/// The padded WAV of the Core tests, rebuilt here (test targets do not share files).
func WAVHeaderScannerTests_padded(padding: Int) -> [UInt8] {
    let tone = WAVFile.encode(samples: (0..<96_000).map { Int16(truncatingIfNeeded: $0 &* 37) }, sampleRate: 16_000)
    let junkChunk = Array("JUNK".utf8) + [2, 0, 0, 0, 0, 0]
    var bytes = Array(tone[..<36])
    for _ in 0..<(padding / junkChunk.count) { bytes += junkChunk }
    bytes += tone[36...]
    let riffSize = UInt32(bytes.count - 8)
    for index in 0..<4 { bytes[4 + index] = UInt8(truncatingIfNeeded: riffSize >> (8 * UInt32(index))) }
    return bytes
}
