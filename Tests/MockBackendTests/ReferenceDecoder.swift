import Foundation
import Testing

/// ffmpeg as an independent decoder and encoder of the mocks' audio: it checks what libsndfile
/// writes, and makes the uploads (AIFF, say) the mocks must read. Installed by `scripts/setup.sh`; a missing
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

    /// Decodes `file` (its container named by `fileExtension`) to 16-bit PCM, `channels` channels,
    /// resampled to `sampleRate` when given.
    static func decode(_ file: [UInt8], fileExtension: String, channels: Int, sampleRate: Int? = nil) async throws -> Decoded {
        let rate = sampleRate.map { ["-ar", "\($0)"] } ?? []
        let run = try await ExternalTool.run(
            ffmpeg, ["-nostdin", "-v", "error", "-i", "IN", "-f", "s16le", "-ac", "\(channels)"] + rate + ["-y", "OUT"],
            input: file, inputName: "in.\(fileExtension)", outputName: "out.raw")
        let raw = run.output
        let samples = stride(from: 0, to: raw.count - 1, by: 2).map { Int16(bitPattern: UInt16(raw[$0]) | UInt16(raw[$0 + 1]) << 8) }
        return Decoded(samples: samples, errors: run.errors, exitStatus: run.status)
    }

    /// Encodes interleaved 16-bit PCM with ffmpeg: `codec` options (e.g. `["-c:a", "libmp3lame", "-b:a", "128k"]`)
    /// and an output named `outputName`, whose extension picks the container.
    static func encode(_ samples: [Int16], rate: Int, channels: Int, codec: [String], outputName: String) async throws -> [UInt8] {
        var raw: [UInt8] = []
        raw.reserveCapacity(samples.count * 2)
        for sample in samples { raw += [UInt8(truncatingIfNeeded: sample), UInt8(truncatingIfNeeded: sample >> 8)] }
        let run = try await ExternalTool.run(
            ffmpeg, ["-nostdin", "-v", "error", "-f", "s16le", "-ar", "\(rate)", "-ac", "\(channels)", "-i", "IN"] + codec + ["-y", "OUT"],
            input: raw, inputName: "in.raw", outputName: outputName)
        try #require(run.status == 0, "ffmpeg could not encode: \(run.errors)")
        return run.output
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

/// Runs an external tool (ffmpeg, sox) on temporary files: `IN` and `OUT` in the arguments stand for
/// the input written from `input` and the output read back. Files, not pipes: nothing can block on
/// a full pipe buffer. A missing tool fails the test with the way to install it.
enum ExternalTool {
    struct Run {
        var output: [UInt8]
        /// What the tool printed on standard error.
        var errors: String
        var status: Int32
    }

    static func run(_ executable: String, _ arguments: [String], input: [UInt8], inputName: String, outputName: String) async throws -> Run {
        try #require(FileManager.default.isExecutableFile(atPath: executable), "\(executable) is missing: run scripts/setup.sh to install it")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("external-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputURL = directory.appendingPathComponent(inputName)
        let outputURL = directory.appendingPathComponent(outputName)
        let log = directory.appendingPathComponent("errors.txt")
        try Data(input).write(to: inputURL)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments.map { $0 == "IN" ? inputURL.path : $0 == "OUT" ? outputURL.path : $0 }
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        try await runToExit(process)
        let output = (try? Data(contentsOf: outputURL)).map { [UInt8]($0) } ?? []
        return Run(output: output, errors: try String(contentsOf: log, encoding: .utf8), status: process.terminationStatus)
    }
}

extension ExternalTool {
    /// Starts `process` and suspends until it exits. Not `waitUntilExit()`: that blocks a thread
    /// of the cooperative pool (two here) spinning a run loop, and with a few tools running at
    /// once it starved every other test, or, when the loop missed the exit, hung the suite.
    static func runToExit(_ process: Process) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }
}
