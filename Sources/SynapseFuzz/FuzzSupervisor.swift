import Foundation

/// The parent side of a run: starts a worker child for a target, and when the child dies
/// (a trap, a signal) or stops making progress, saves the input that did it, then starts a new
/// child after that input. One report line per target.
///
/// ```
/// supervisor ──spawn──▶ worker(start=0) ──dies at 4711──▶ save crash-<seed>-4711
///      └──────spawn──▶ worker(start=4712) ──exit 0──▶ report: N executions, 1 crash
/// ```
public struct FuzzSupervisor: Sendable {
    /// Where crashing inputs go (`<directory>/<target>/crash-<seed>-<index>`, plus a `.log`).
    public var crashDirectory: String
    /// A worker whose input index does not move for this long is killed and reported as a hang.
    public var stallTimeout: Duration = .seconds(30)
    /// Arguments that start a worker: `[executable, …]`, to which `--worker`, `--target`, … are added.
    public var workerCommand: [String]

    public init(crashDirectory: String, workerCommand: [String]) {
        self.crashDirectory = crashDirectory
        self.workerCommand = workerCommand
    }

    /// What one target's run found.
    public struct Report: Sendable, CustomStringConvertible {
        public var target: String
        public var executions: Int
        public var crashes: [String]
        public var seconds: Double

        public var description: String {
            let rate = seconds > 0 ? Int(Double(executions) / seconds) : 0
            var line = "\(target): \(executions) executions, \(crashes.count) crashes, \(String(format: "%.1f", seconds)) s (\(rate)/s)"
            for crash in crashes { line += "\n  crash saved: \(crash)" }
            return line
        }
    }

    public func run(target: any FuzzTarget, input: FuzzInput, seed: UInt64, count: Int) throws -> Report {
        let started = Date()
        let folder = crashDirectory + "/" + target.name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let progressPath = folder + "/.progress-\(getpid())"
        let logPath = folder + "/.worker-\(getpid()).log"
        defer {
            try? FileManager.default.removeItem(atPath: progressPath)
            try? FileManager.default.removeItem(atPath: logPath)
        }
        var next = 0
        var crashes: [String] = []
        while next < count {
            try? FileManager.default.removeItem(atPath: progressPath)
            let outcome = try runWorker(target: target.name, seed: seed, range: next..<count, progressPath: progressPath, logPath: logPath)
            guard let reached = ProgressFile.read(path: progressPath) else {
                // No input ever ran: the worker could not start (bad arguments, no free port…).
                let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                throw FuzzError.setup("\(target.name) worker \(outcome): \(log.suffix(2000))")
            }
            if case .finished = outcome, reached >= count { break }
            // The child died (or hung) while executing input `reached`: keep it and go on after it.
            let index = min(max(reached, next), count - 1)
            let path = folder + "/crash-\(seed)-\(index)"
            try Data(input.input(index: index, seed: seed)).write(to: URL(fileURLWithPath: path))
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            try (outcome.description + "\n" + Self.excerpt(of: log)).write(toFile: path + ".log", atomically: true, encoding: .utf8)
            crashes.append(path)
            next = index + 1
        }
        return Report(target: target.name, executions: count, crashes: crashes, seconds: Date().timeIntervalSince(started))
    }

    /// The start of a worker's log (the trap's message and top frames) and its end.
    static func excerpt(of log: String) -> String {
        log.count <= 12_000 ? log : String(log.prefix(8_000)) + "\n…\n" + String(log.suffix(4_000))
    }

    enum Outcome: CustomStringConvertible {
        case finished
        case died(status: Int32, signal: Bool)
        case hung

        var description: String {
            switch self {
            case .finished: "finished"
            case .died(let status, true): "killed by signal \(status)"
            case .died(let status, false): "exited with status \(status)"
            case .hung: "made no progress and was killed"
            }
        }
    }

    private func runWorker(target: String, seed: UInt64, range: Range<Int>, progressPath: String, logPath: String) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: workerCommand[0])
        process.arguments =
            Array(workerCommand.dropFirst()) + [
                "--worker", "--target", target, "--seed", String(seed), "--start", String(range.lowerBound), "--count", String(range.upperBound),
                "--progress-file", progressPath,
            ]
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        defer { try? log.close() }
        process.standardOutput = log
        process.standardError = log
        try process.run()
        var lastIndex = -1
        var lastMove = ContinuousClock.now
        while process.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
            let index = ProgressFile.read(path: progressPath) ?? -1
            if index != lastIndex {
                lastIndex = index
                lastMove = .now
            } else if ContinuousClock.now - lastMove > stallTimeout {
                process.terminate()
                process.waitUntilExit()
                return .hung
            }
        }
        process.waitUntilExit()
        if process.terminationReason == .exit, process.terminationStatus == 0 { return .finished }
        return .died(status: process.terminationStatus, signal: process.terminationReason == .uncaughtSignal)
    }
}
