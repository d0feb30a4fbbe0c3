import SynapseCore
import Testing

@Suite struct AudioFormatTests {
    @Test(arguments: [(" MP3 ", AudioFormat.mp3), ("wav", .wav), ("Flac\n", .flac), ("OGG", .ogg)])
    func aConversionFieldIsTrimmedAndCaseInsensitive(field: String, format: AudioFormat) {
        #expect(AudioFormat(conversionField: field) == format)
    }

    /// `/audio/convert` writes four formats; Opus is a format the mocks write, not a conversion output.
    @Test(arguments: ["opus", "aiff", "", "mp 3"])
    func otherFieldsAreNoConversionOutput(field: String) {
        #expect(AudioFormat(conversionField: field) == nil)
    }

    @Test func mediaTypesAreTheOnesTheGatewayAnswersWith() {
        #expect(AudioFormat.conversionOutputs.map(\.mediaType) == ["audio/wav", "audio/mpeg", "audio/flac", "audio/ogg"])
    }
}
