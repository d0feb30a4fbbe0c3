import Foundation
import MockAudio
import Testing

/// Inputs `synapse fuzz --target audio` found trapping the MP3 decoder (a LAME tag whose end
/// padding exceeds the audio gave a negative array index); kept as seeds and checked here.
@Suite struct MP3TrimRegressionTests {
    @Test(arguments: ["mp3-lame-padding-beyond-audio.mp3", "mp3-lame-padding-beyond-audio-2.mp3"])
    func aLAMETagPaddingBeyondTheAudioDecodesToFewerSamplesNotATrap(name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Fixtures/fuzz/audio/" + name).standardized
        let bytes = Array(try Data(contentsOf: url))
        _ = try? MP3Decoder.decode(bytes)
        _ = AudioDecoder.decode(bytes)
    }
}
