import Foundation
@testable import MockAudio
import SynapseCore
import Testing

/// `AudioProbe` on the mocks' own encoders' output: container, layout, duration and tags.
@Suite struct AudioProbeTests {
    static let rate = 22_050
    static let input = AudioEncoderTests.sine(frames: 33_333, rate: rate, channels: 2)

    @Test func flacDurationIsTheStreamInfoSampleCount() throws {
        let probe = try #require(AudioProbe(bytes: FLACEncoder(channels: 2, sampleRate: Self.rate).encodeFile(samples: Self.input)))
        #expect(probe.codec == .flac && probe.sampleRate == Self.rate && probe.channels == 2)
        #expect(probe.duration == 33_333.0 / Double(Self.rate))
    }

    @Test func flacBehindAnID3TagIsStillFLACAndDecodes() throws {
        let flac = FLACEncoder(channels: 2, sampleRate: Self.rate).encodeFile(samples: Self.input)
        let tagged = ID3v2.tag([("TIT2", "Tagged")]) + flac
        let probe = try #require(AudioProbe(bytes: tagged))
        #expect(probe.codec == .flac && probe.duration == 33_333.0 / Double(Self.rate))
        #expect(probe.tags["TITLE"] == "Tagged")
        #expect(AudioDecoder.decode(tagged)?.samples == Self.input)
    }

    @Test func oggVorbisDurationIsTheLastGranule() throws {
        let probe = try #require(AudioProbe(bytes: VorbisEncoder(channels: 2, sampleRate: Self.rate).encodeFile(samples: Self.input)))
        #expect(probe.codec == .vorbis && probe.sampleRate == Self.rate && probe.channels == 2)
        #expect(probe.duration == 33_333.0 / Double(Self.rate))
        #expect(probe.tags.isEmpty)
    }

    @Test func mp3DurationAndID3Tags() throws {
        let stream = try MPEGAudioEncoder(channels: 2, sampleRate: Self.rate, bitrate: 64).encodeFile(samples: Self.input)
        let tagged = ID3v2.tag([("TIT2", "Grüße, world"), ("TPE1", "Alice.wav"), ("TSSE", "synapse")]) + stream
        let probe = try #require(AudioProbe(bytes: tagged))
        #expect(probe.codec == .mp3 && probe.sampleRate == Self.rate && probe.channels == 2)
        // The Info frame's frame count, delay and padding give the exact length.
        #expect(probe.duration == 33_333.0 / Double(Self.rate))
        #expect(probe.tags == ["TITLE": "Grüße, world", "ARTIST": "Alice.wav", "ENCODER": "synapse"])
    }

    @Test func oggFLACFromFFmpegHasItsStreamInfoAndTags() throws {
        let samples = FLACDecoderTests.signal(frames: 12_345, channels: 2, rate: 32_000, bits: 16)
        let file = try FLACDecoderTests.ffmpeg(
            FLACDecoderTests.rawS16(samples), format: "s16le", rate: 32_000, channels: 2, options: ["-metadata", "title=Ogg FLAC"], container: "ogg")
        let probe = try #require(AudioProbe(bytes: file))
        #expect(probe.codec == .flac && probe.sampleRate == 32_000 && probe.channels == 2)
        #expect(probe.duration == 12_345.0 / 32_000)
        #expect(probe.tags["TITLE"] == "Ogg FLAC")
    }

    @Test func id3v23TextFramesInEveryEncoding() {
        // v2.3: plain 32-bit frame sizes; Latin-1, UTF-16 with BOM (little-endian), UTF-16BE.
        func frame(_ id: String, _ payload: [UInt8]) -> [UInt8] {
            Array(id.utf8) + [0, 0, 0, UInt8(payload.count), 0, 0] + payload
        }
        let body = frame("TIT2", [0] + Array("caf".utf8) + [0xE9]) + frame("TPE1", [1, 0xFF, 0xFE, 0x42, 0, 0x6F, 0, 0x62, 0, 0, 0])
            + frame("TALB", [2, 0, 0x58])
        let tag = Array("ID3".utf8) + [3, 0, 0, 0, 0, 0, UInt8(body.count)] + body
        #expect(ID3v2.textFrames(tag[...]) == ["TITLE": "café", "ARTIST": "Bob", "ALBUM": "X"])
    }

    @Test(arguments: [
        Array("not audio at all".utf8),
        Array("OggS".utf8) + [UInt8](repeating: 0, count: 40),
        Array("fLaC".utf8) + [0x80, 0, 0, 34],
        [0xFF, 0xFB, 0x90, 0x64] + [UInt8](repeating: 0x55, count: 200),  // one lone frame header, then junk
    ])
    func anythingElseIsNotAudio(_ bytes: [UInt8]) {
        #expect(AudioProbe(bytes: bytes) == nil)
    }
}
