import ArgumentParser
import Foundation
import SynapseScenarios

/// `synapse scenario run`: runs fault-injection scenarios in-process (virtual clock) or against a
/// running gateway and mocks control API.
struct ScenarioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scenario", abstract: "Run declarative fault-injection scenarios.", subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run scenario files (default: Fixtures/scenarios).",
            discussion: """
                In-process (the default) each scenario gets fresh mocks and a gateway on a virtual clock, so cooldowns \
                and backoff cost no wall time. With --target and --control the scenarios run against a running \
                gateway and mocks control API (e.g. `synapse dev` in another terminal) on the real clock.
                """)

        @Argument(help: "Scenario files or folders.") var paths: [String] = []
        @Option(help: "Only scenarios whose name or file name contains this text.") var filter: String?
        @Flag(help: "List the scenarios and exit.") var list = false
        @Option(help: "Write a JUnit XML report to this file.") var junit: String?
        @Option(help: "Write a JSON report to this file.") var json: String?
        @Option(help: "Seed for every scenario (default: each scenario's own).") var seed: UInt64?
        @Flag(help: "In-process, but on the real clock.") var realTime = false
        @Option(help: "Base URL of a running gateway (needs --control).") var target: String?
        @Option(help: "Base URL of the running mocks' control API (needs --target).") var control: String?
        @Option(name: .customLong("voice-library"), help: "With --target: the gateway's voice library folder, for voiceFiles checks.")
        var voiceLibrary: String?
        @Option(help: "Folder searched for payload files after each scenario's own (default: Fixtures if present).") var payloads: String?
        @Flag(name: .shortAndLong, help: "Show every check, not only failing ones.") var verbose = false

        func validate() throws {
            if (target == nil) != (control == nil) { throw ValidationError("--target and --control go together") }
            if target != nil && realTime { throw ValidationError("--real-time is implied by --target") }
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
            let runner = ScenarioRunner(options: .init(seed: seed, payloadPaths: payloadPaths, realTime: realTime))
            let report: ScenarioReport
            if let target, let control {
                report = await runner.run(scenarios, on: ScenarioTarget(gatewayURL: target, controlURL: control, voiceLibraryDir: voiceLibrary))
            } else {
                report = await runner.run(scenarios)
            }
            print(report.consoleText(verbose: verbose), terminator: "")
            if let junit { try report.junitXML().write(toFile: junit, atomically: true, encoding: .utf8) }
            if let json { try report.json().write(toFile: json, atomically: true, encoding: .utf8) }
            if !report.passed { throw ExitCode(1) }
        }
    }
}
