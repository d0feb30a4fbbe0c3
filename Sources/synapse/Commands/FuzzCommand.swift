import ArgumentParser
import Foundation
import SynapseFuzz

/// `synapse fuzz`: drives the input-facing parsers with seeded generated inputs, each target in
/// a child process so that a trap is caught, reported and its input saved. Hidden: a test tool.
struct FuzzCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz", abstract: "Fuzz the parsers and the HTTP layer; exit 1 if any input crashes.", shouldDisplay: false)

    @Option(name: .customLong("target"), help: "A target (wav, multipart, fault-spec, config, scenario, json, audio, http) or all; repeatable.")
    var targets: [String] = []
    @Option(help: "Inputs per parser target.") var count = 1_000_000
    @Option(help: "Inputs for the socket target (http); default count / 10, at least 100.") var socketCount: Int?
    @Option(help: "Seed of the input generator; a run is reproducible from it.") var seed: UInt64 = 1
    @Option(help: "Seed folders, one per target.") var seeds = "Fixtures/fuzz"
    @Option(help: "Where crashing inputs are saved.") var crashes = ".build/fuzz-crashes"
    @Flag(help: .hidden) var worker = false
    @Option(help: .hidden) var start = 0
    @Option(help: .hidden) var progressFile = ""

    func run() async throws {
        let chosen = try FuzzRun.targets(named: targets)
        if worker {
            guard let target = chosen.first else { throw ValidationError("a worker needs one --target") }
            let input = FuzzRun.input(for: target, seedsDirectory: seeds)
            try await FuzzWorker.run(target: target, input: input, seed: seed, range: start..<count, progressPath: progressFile)
            return
        }
        let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
        let supervisor = FuzzSupervisor(crashDirectory: crashes, workerCommand: [executable, "fuzz", "--seeds", seeds])
        var crashed = false
        for target in chosen {
            let inputs = target.name == "http" ? (socketCount ?? max(100, count / 10)) : count
            let report = try supervisor.run(target: target, input: FuzzRun.input(for: target, seedsDirectory: seeds), seed: seed, count: inputs)
            print(report)
            crashed = crashed || !report.crashes.isEmpty
        }
        if crashed { throw ExitCode(1) }
    }
}
