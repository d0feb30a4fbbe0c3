import Foundation
import Testing

/// Test signals, and ffprobe's view of a file: an independent reader of what the mocks write.
enum TestAudio {
    /// A sine at 0.3 of full scale; channel n (from 0) at (n + 1) × `frequency`, so channels differ.
    static func sine(frames: Int, rate: Int, channels: Int = 1, frequency: Double = 440) -> [Int16] {
        var samples: [Int16] = []
        samples.reserveCapacity(frames * channels)
        for index in 0..<frames {
            for channel in 0..<channels {
                samples.append(Int16(0.3 * 32767 * sin(2 * Double.pi * frequency * Double(channel + 1) * Double(index) / Double(rate))))
            }
        }
        return samples
    }

    /// What ffprobe reports about a file's first audio stream.
    struct Probe: Equatable {
        var codec: String
        var sampleRate: Int
        var channels: Int
        /// Seconds, from the container (ffprobe's `format=duration`).
        var duration: Double
    }

    static let ffprobe = "/usr/bin/ffprobe"

    /// Runs ffprobe on `file`, named with `fileExtension` so it is probed as a client would.
    static func probe(_ file: [UInt8], fileExtension: String) async throws -> Probe {
        let run = try await ExternalTool.run(
            ffprobe,
            [
                "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name,sample_rate,channels:format=duration",
                "-of", "default=noprint_wrappers=1", "-o", "OUT", "IN",
            ],
            input: file, inputName: "in.\(fileExtension)", outputName: "probe.txt")
        try #require(run.status == 0, "ffprobe failed: \(run.errors)")
        var fields: [String: String] = [:]
        for line in String(decoding: run.output, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return Probe(
            codec: fields["codec_name"] ?? "", sampleRate: Int(fields["sample_rate"] ?? "") ?? 0, channels: Int(fields["channels"] ?? "") ?? 0,
            duration: Double(fields["duration"] ?? "") ?? 0)
    }

    /// sox's decoding of `file` as 16-bit little-endian mono-or-more raw samples (its own readers:
    /// WAV, FLAC, Ogg Vorbis; this sox has no MP3 or Opus).
    static func soxDecode(_ file: [UInt8], fileExtension: String) async throws -> (samples: [Int16], status: Int32, errors: String) {
        let run = try await ExternalTool.run(
            "/usr/bin/sox", ["IN", "-t", "raw", "-e", "signed-integer", "-b", "16", "-L", "OUT"], input: file, inputName: "in.\(fileExtension)",
            outputName: "out.raw")
        let raw = run.output
        let samples = stride(from: 0, to: raw.count - 1, by: 2).map { Int16(bitPattern: UInt16(raw[$0]) | UInt16(raw[$0 + 1]) << 8) }
        return (samples, run.status, run.errors)
    }
}
