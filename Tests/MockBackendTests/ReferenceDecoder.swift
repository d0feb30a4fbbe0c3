import Foundation
import Testing

/// ffmpeg as the reference decoder of the mocks' encoders: structural tests cannot tell whether the
/// bits mean what an encoder intended, a real decoder can. Installed by `scripts/setup.sh`; a missing
/// ffmpeg fails the test rather than skipping it.
enum ReferenceDecoder {
    static let ffmpeg = "/usr/bin/ffmpeg"

    /// What ffmpeg made of a file.
    struct Decoded {
        /// Interleaved 16-bit samples.
        var samples: [Int16]
        /// Everything ffmpeg printed at log level `error` (empty for a clean stream).
        var errors: String
        var exitStatus: Int32
    }

    /// Decodes `file` (its container named by `fileExtension`) to 16-bit PCM, `channels` channels.
    static func decode(_ file: [UInt8], fileExtension: String, channels: Int) throws -> Decoded {
        try #require(FileManager.default.isExecutableFile(atPath: ffmpeg), "ffmpeg is missing at \(ffmpeg): run scripts/setup.sh to install it")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reference-decoder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.\(fileExtension)")
        let output = directory.appendingPathComponent("out.raw")
        let log = directory.appendingPathComponent("errors.txt")
        try Data(file).write(to: input)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        process.arguments = ["-nostdin", "-v", "error", "-i", input.path, "-f", "s16le", "-ac", "\(channels)", "-y", output.path]
        // Files, not pipes: nothing can block on a full pipe buffer.
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let raw = (try? Data(contentsOf: output)) ?? Data()
        let samples = stride(from: 0, to: raw.count - 1, by: 2).map { Int16(bitPattern: UInt16(raw[$0]) | UInt16(raw[$0 + 1]) << 8) }
        return Decoded(samples: samples, errors: try String(contentsOf: log, encoding: .utf8), exitStatus: process.terminationStatus)
    }

    /// Signal-to-noise ratio in dB of one channel of `decoded` against `input` (both interleaved),
    /// the decoded audio lagging by `delay` frames; and the decoded level relative to the input's.
    static func compare(input: [Int16], decoded: [Int16], channels: Int, channel: Int = 0, delay: Int = 0) -> (snr: Double, level: Double) {
        var signal = 0.0
        var decodedEnergy = 0.0
        var noise = 0.0
        for index in stride(from: channel, to: min(input.count, decoded.count - delay * channels), by: channels) {
            let reference = Double(input[index])
            let value = Double(decoded[index + delay * channels])
            signal += reference * reference
            decodedEnergy += value * value
            noise += (value - reference) * (value - reference)
        }
        return (10 * log10(signal / max(noise, 1)), sqrt(decodedEnergy / max(signal, 1)))
    }
}
