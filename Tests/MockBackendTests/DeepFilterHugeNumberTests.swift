import Foundation
import MockAudio
import MockDeepFilter
import SynapseCore
import Testing

/// Form fields whose numbers do not fit in an `Int` used to trap the process in `/convert`.
@Suite struct DeepFilterHugeNumberTests {
    @Test(arguments: ["1e300k", "infk", "nan", "-1e300m", "9223372036854775807k", "-9223372036854775807k"])
    func aHugeOrNonFiniteBitrateIsAnsweredNotATrap(bitrate: String) async throws {
        let reply = try await withLlamaServer(DeepFilterMock()) { base in
            try await postForm(
                base + "/convert", [.file("file", DeepFilterBehaviourTests.input), .text("output_format", "mp3"), .text("bitrate", bitrate)])
        }
        // The real service's ffmpeg refuses such a bitrate: a plain 500, as for any failed conversion.
        #expect([200, 500].contains(reply.status))
    }
}
