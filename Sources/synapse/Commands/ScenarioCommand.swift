import ArgumentParser
import Foundation
import InProcessMocks
import SynapseScenarios

/// `synapse scenario run`: runs fault-injection scenarios with in-process mocks (virtual clock),
/// against a remote mock set (`--mocks`), or against a running gateway and its mock set. The
/// in-process mock set is wired in here: the runner itself knows only the `MockSet` contract.
struct ScenarioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario", abstract: "Run declarative fault-injection scenarios.", subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run scenario files (default: Fixtures/scenarios).",
            discussion: """
                In-process (the default) each scenario gets fresh mocks and a gateway on a virtual clock, so cooldowns, \
                backoff and deadlines cost no wall time. With --mocks each scenario gets a fresh in-process gateway \
                pointed at a running mock set, reached only through its control API (e.g. `synapse mocks` in another \
                terminal), on the real clock. With --target as well, the scenarios run against that running gateway. \
                On real time, scenarios that declare `requires: [virtualTime]` are reported as skipped.
                """)

        @Argument(help: "Scenario files or folders.") var paths: [String] = []
        @Option(help: "Only scenarios whose name or file name contains this text.") var filter: String?
        @Flag(help: "List the scenarios and exit.") var list = false
        @Option(help: "Write a JUnit XML report to this file.") var junit: String?
        @Option(help: "Write a JSON report to this file.") var json: String?
        @Option(help: "Seed for every scenario (default: each scenario's own).") var seed: UInt64?
        @Flag(help: "In-process, but on the real clock.") var realTime = false
        @Option(help: "Base URL of a running gateway (needs --mocks).") var target: String?
        @Option(
            name: [.customLong("mocks"), .customLong("control")],
            help: "Base URL of a running mock set's control API (--control is the older name).") var mocks: String?
        @Option(name: .customLong("voice-library"), help: "With --target: the gateway's voice library folder, for voiceFiles checks.")
        var voiceLibrary: String?
        @Option(help: "Folder searched for payload files after each scenario's own (default: Fixtures if present).") var payloads: String?
        @Flag(name: .shortAndLong, help: "Show every check, not only failing ones.") var verbose = false

        func validate() throws {
            if target != nil && mocks == nil { throw ValidationError("--target needs --mocks (the control API of its mock set)") }
            if mocks != nil && realTime { throw ValidationError("--real-time is implied by --mocks") }
        }

        func run() async throws {
            let scenarios: [Scenario]
            do {
                scenarios = try ScenarioLibrary.load(paths: paths.isEmpty ? ["Fixtures/scenarios"] : paths, filter: filter)
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode(2)
            }
            if list {
                for scenario in scenarios { print("\(scenario.name)  (\(scenario.file))") }
                return
            }
            let payloadPaths = payloads.map { [$0] } ?? (FileManager.default.fileExists(atPath: "Fixtures") ? ["Fixtures"] : [])
            let options = ScenarioRunner.Options(seed: seed, payloadPaths: payloadPaths, realTime: realTime)
            let report: ScenarioReport
            if let mocks {
                let runner = ScenarioRunner(mocks: RemoteMockSets(controlURL: mocks), options: options)
                if let target {
                    report = await runner.run(scenarios, gatewayURL: target, voiceLibraryDir: voiceLibrary)
                } else {
                    report = await runner.run(scenarios)
                }
            } else {
                report = await ScenarioRunner(mocks: InProcessMockSets(), options: options).run(scenarios)
            }
            print(report.consoleText(verbose: verbose), terminator: "")
            if let junit { try report.junitXML().write(toFile: junit, atomically: true, encoding: .utf8) }
            if let json { try report.json().write(toFile: json, atomically: true, encoding: .utf8) }
            if !report.passed { throw ExitCode(1) }
        }
    }
}
