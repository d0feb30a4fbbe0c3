import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A real `synapse serve` process on a free port, for what only a process shows: signals, exit
/// statuses. `with(configYAML:)` writes the file, starts the binary built next to the tests
/// (`swift build --build-tests` builds it), learns the port from its "listening" log line, and
/// kills the process when the body returns or throws.
final class ServeProcess: Sendable {
    let port: Int
    /// The configuration file it reads (and re-reads on `SIGHUP`).
    let configPath: String
    private let process: Process
    private let output: Output

    var url: String { "http://127.0.0.1:\(port)" }
    var pid: Int32 { process.processIdentifier }

    /// What the process printed so far (standard output and error together).
    final class Output: Sendable {
        let text = Mutex("")
    }

    private init(port: Int, configPath: String, process: Process, output: Output) {
        self.port = port
        self.configPath = configPath
        self.process = process
        self.output = output
    }

    enum Failure: Error, CustomStringConvertible {
        case binaryMissing([String])
        case noPort(String)
        case stillRunning(String)
        var description: String {
            switch self {
            case .binaryMissing(let looked): "synapse binary not found (run swift build --build-tests); looked in \(looked)"
            case .noPort(let output): "synapse serve never said it was listening; output:\n\(output)"
            case .stillRunning(let output): "synapse serve did not exit in time; output:\n\(output)"
            }
        }
    }

    /// Runs `synapse serve --config FILE --port 0` with `configYAML` (its voice library in a
    /// scratch folder) and passes the running process to `body`.
    /// `environment` is added to the test's own (without its `SYNAPSE_*` variables).
    static func with<T>(configYAML: String, environment: [String: String] = [:], _ body: (ServeProcess) async throws -> T) async throws -> T {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("synapse-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let configPath = scratch.appendingPathComponent("backends.yaml").path
        try Data(configYAML.replacingOccurrences(of: "SCRATCH", with: scratch.path).utf8).write(to: URL(fileURLWithPath: configPath))

        let process = Process()
        process.executableURL = try binary()
        process.arguments = ["serve", "--config", configPath, "--host", "127.0.0.1", "--port", "0"]
        // Nothing from the test's environment may reconfigure it.
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SYNAPSE_") }.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = Output()
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                continuation.finish()
                return
            }
            let text = output.text.withLock {
                $0 += String(decoding: data, as: UTF8.self)
                return $0
            }
            if let range = text.range(of: #"listening on http://127\.0\.0\.1:\d+"#, options: .regularExpression),
                let port = Int(text[range].split(separator: ":").last ?? "")
            {
                continuation.yield(port)
            }
        }
        try process.run()
        defer {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        let port = try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask { await ports.first { _ in true } }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let port else { throw Failure.noPort(output.text.withLock { $0 }) }
        return try await body(ServeProcess(port: port, configPath: configPath, process: process, output: output))
    }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    var isRunning: Bool { process.isRunning }

    /// Waits (polling, bounded) for the process to exit; its exit status, or nil when it was
    /// killed by a signal.
    func exitStatus(within limit: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            guard ContinuousClock.now < deadline else { throw Failure.stillRunning(log) }
            try await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationReason == .exit ? process.terminationStatus : nil
    }

    var log: String { output.text.withLock { $0 } }

    /// The `synapse` executable next to the test binary, else in this package's `.build/debug`.
    static func binary() throws -> URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var folders = [testBinary.deletingLastPathComponent(), Bundle.main.bundleURL.deletingLastPathComponent(), Bundle.main.bundleURL]
        folders.append(packageRoot.appendingPathComponent(".build/debug"))
        let candidates = folders.map { $0.appendingPathComponent("synapse") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw Failure.binaryMissing(candidates.map(\.path))
        }
        return found
    }
}
