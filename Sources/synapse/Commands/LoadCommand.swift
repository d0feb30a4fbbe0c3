import ArgumentParser
import Foundation
import SynapseCore
import SynapseHAR
import SynapseLoad
import SynapseLoadReport

/// `synapse load`: replays a recording against a target at the recorded pace, at a rate (open
/// model) or with a number of clients (closed model); prints the report, writes its files, and
/// exits 1 when a threshold failed.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Replay a recording against a gateway or a backend and measure it.",
        discussion: """
            Pacing: the recording's own timing (scaled by --speed), an open model (--rate: requests are sent on \
            schedule whatever the target does; latency counts from each request's slot, so a slow target cannot \
            hide its queueing), or a closed model (--concurrency: each client sends its next request when the \
            previous answer ended).

            --ramp 'DURATION:VALUE,…' changes the rate or the concurrency in linear stages, from the initial \
            --rate/--concurrency (0 allowed with a ramp) to each stage's value over its duration; the last value \
            holds. '10s:50,30s:200' reaches 50 after 10 s and 200 after 40 s. Without --duration the run ends with \
            the ramp.

            When --duration (or the ramp) ends no request is scheduled any more; those already due may finish \
            for --grace, the rest is counted as timeouts. Exit codes: 0 passed, 1 a threshold failed, 2 the \
            recording or the target cannot be used; bad arguments are usage errors.
            """)

    @Argument(help: "A HAR file, or a folder of them (as `synapse serve --record` writes).") var recording: String
    @Option(help: "Where to send: http://host:port[/prefix] (replaces the recorded scheme, host and port; the prefix goes before each path).")
    var target: String

    // Pacing
    @Option(help: "Recorded timing, this many times faster (default 1; not with --rate or --concurrency).") var speed: Double?
    @Option(help: "Open model: requests per second (e.g. 200 or 200/s).") var rate: String?
    @Option(help: "Open model: how arrivals are spaced: constant or poisson.") var arrival: String = "constant"
    @Option(help: "Closed model: clients, each with one request in flight.") var concurrency: Int?
    @Option(help: "Stages for --rate or --concurrency: 'DURATION:VALUE,…', e.g. '10s:50,30s:200'.") var ramp: String?
    @Option(help: "Stop scheduling after this long (e.g. 30s, 10m).") var duration: String?
    @Flag(help: "Repeat the recording until --duration (or the ramp) ends.") var loop = false
    @Option(help: "Seed for --arrival poisson (default: random; printed in the report).") var seed: UInt64?

    // Requests
    @Option(name: .customLong("header"), help: "Add or replace a header on every request: 'Name: value' (repeatable).") var headers: [String] = []
    @Option(name: .customLong("api-key"), help: "Send Authorization: Bearer KEY.") var apiKey: String?
    @Flag(
        name: .customLong("use-upstream-paths"),
        help: "Send each request to the path the gateway called on its backend (a gateway recording replayed straight at one backend).")
    var useUpstreamPaths = false
    @Option(name: .customLong("only-backend"), help: "Only requests the gateway forwarded to this backend.") var onlyBackend: String?
    @Option(name: .customLong("route"), help: "Only requests whose recorded path starts with this (repeatable), e.g. /v1/.") var routes: [String] = []

    // Limits
    @Option(help: "The longest one request may take once sent (default 60s).") var timeout: String = "60s"
    @Option(help: "After --duration, how long requests already due may still finish (default 5s).") var grace: String = "5s"
    @Option(name: .customLong("max-connections"), help: "Open model: connections at most (default 512).") var maxConnections = 512
    @Option(help: "Event loops sending (default: one per core).") var threads: Int?

    // Report
    @Option(name: .customLong("threshold"), help: "A pass/fail rule, e.g. 'p99<500ms' or 'errors<1%' (repeatable).") var thresholds: [String] = []
    @Option(name: .customLong("report-json"), help: "Write the report as JSON to this file.") var reportJSON: String?
    @Option(name: .customLong("report-junit"), help: "Write the thresholds as JUnit XML to this file.") var reportJUnit: String?
    @Option(name: .customLong("report-html"), help: "Write the report as an HTML page to this file.") var reportHTML: String?

    func validate() throws {
        if rate != nil && concurrency != nil { throw ValidationError("--rate and --concurrency exclude each other (open or closed model)") }
        if speed != nil && (rate != nil || concurrency != nil) { throw ValidationError("--speed scales the recorded timing; not with --rate or --concurrency") }
        if ramp != nil && rate == nil && concurrency == nil { throw ValidationError("--ramp needs --rate or --concurrency (its starting value)") }
        if Pacing.Arrival(rawValue: arrival) == nil { throw ValidationError("--arrival must be constant or poisson") }
        if arrival != "constant" && rate == nil { throw ValidationError("--arrival needs --rate") }
        if let rate, Self.parseRate(rate) == nil { throw ValidationError("--rate \"\(rate)\": expected a number of requests per second, e.g. 200 or 200/s") }
        for (flag, value) in [("--duration", duration), ("--timeout", timeout), ("--grace", grace)] {
            if let value, ConfigScalars.duration(value) == nil { throw ValidationError("\(flag) \"\(value)\": expected a duration such as 500ms, 30s or 10m") }
        }
        for threshold in thresholds {
            do { _ = try Threshold.parse(threshold) } catch { throw ValidationError("--threshold \"\(threshold)\": \(error)") }
        }
    }

    func run() async throws {
        let archive: HARArchive
        do {
            archive = try HARArchive.load(recording)
        } catch {
            Self.printError("\(error)")
            throw ExitCode(2)
        }
        let plan: LoadPlan
        let skipped: Int
        do {
            (plan, skipped) = try makePlan(archive)
        } catch let error as LoadError {
            throw ValidationError(error.message)
        }
        if skipped > 0 { Self.printError("\(skipped) of \(archive.exchanges.count) recorded requests left out by the filters") }
        let parsedThresholds = thresholds.compactMap { try? Threshold.parse($0) }

        let load: LoadRun
        do {
            load = try await LoadRun.start(plan)
        } catch {
            Self.printError(error.message)
            throw ExitCode(2)
        }
        let result = await Self.waitShowingProgress(load)
        let report = LoadReport(
            statistics: result.statistics, elapsed: result.elapsed, thresholds: parsedThresholds, command: CommandLine.arguments, seed: plan.seed)
        print(report.text(), terminator: "")
        // One fixed line for scripts (scripts/bench.sh reads it), whatever the report's format.
        let seconds = result.elapsed.seconds
        Self.printError(
            "synapse load: \(result.statistics.requests) requests in \(String(format: "%.1f", seconds)) s: "
                + "\(String(format: "%.1f", Double(result.statistics.requests) / max(seconds, 0.001))) req/s, \(result.statistics.errors) errors")
        if let reportJSON { try report.json().write(toFile: reportJSON, atomically: true, encoding: .utf8) }
        if let reportJUnit { try report.junit().write(toFile: reportJUnit, atomically: true, encoding: .utf8) }
        if let reportHTML { try report.html().write(toFile: reportHTML, atomically: true, encoding: .utf8) }
        let failed = report.failedThresholds
        if !failed.isEmpty {
            Self.printError("threshold failed: " + failed.map(\.source).joined(separator: ", "))
            throw ExitCode(1)
        }
    }

    /// The engine's plan from the arguments.
    func makePlan(_ archive: HARArchive) throws -> (LoadPlan, skipped: Int) {
        var rewrite = RequestRewrite(target: try TargetURL.parse(target))
        rewrite.useUpstreamPaths = useUpstreamPaths
        rewrite.onlyBackend = onlyBackend
        rewrite.routePrefixes = routes
        for header in headers { rewrite.headers.append(try RequestRewrite.parseHeader(header)) }
        if let apiKey { rewrite.setAPIKey(apiKey) }
        let (requests, skipped) = rewrite.requests(from: archive.exchanges)

        let pacing: Pacing
        if let rate, let value = Self.parseRate(rate) {
            let profile = try ramp.map { try Ramp.parse($0, initial: value) } ?? .constant(value)
            pacing = .rate(profile, arrival: Pacing.Arrival(rawValue: arrival) ?? .constant)
        } else if let concurrency {
            pacing = .concurrency(try ramp.map { try Ramp.parse($0, initial: Double(concurrency)) } ?? .constant(Double(concurrency)))
        } else {
            pacing = .recorded(speed: speed ?? 1)
        }
        var plan = LoadPlan(requests: requests, target: rewrite.target, pacing: pacing)
        plan.loops = loop
        plan.duration = duration.flatMap(ConfigScalars.duration)
        plan.timeout = ConfigScalars.duration(timeout) ?? plan.timeout
        plan.grace = ConfigScalars.duration(grace) ?? plan.grace
        plan.maxConnections = maxConnections
        if let threads { plan.threads = threads }
        plan.seed = seed ?? UInt64.random(in: 0...UInt64.max)
        try plan.validate()
        return (plan, skipped)
    }

    /// `200` or `200/s`.
    static func parseRate(_ text: String) -> Double? {
        let number = text.hasSuffix("/s") ? String(text.dropLast(2)) : text
        guard let value = Double(number), value >= 0, value.isFinite else { return nil }
        return value
    }

    /// Awaits the run; on a terminal, redraws the progress line about once a second.
    static func waitShowingProgress(_ run: LoadRun) async -> LoadRun.Result {
        guard ProgressLine.isTerminal(fileDescriptor: 2) else { return await run.finished() }
        return await withTaskGroup(of: LoadRun.Result?.self) { group in
            group.addTask {
                let line = ProgressLine()
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    if Task.isCancelled { break }
                    let progress = await run.snapshot()
                    printError(ProgressLine.frame(line.render(progress.statistics, elapsed: progress.elapsed, inFlight: progress.inFlight)), newline: false)
                }
                return nil
            }
            group.addTask { await run.finished() }
            var result: LoadRun.Result?
            for await value in group where value != nil {
                result = value
                group.cancelAll()
            }
            printError(ProgressLine.clear, newline: false)
            return result!
        }
    }

    static func printError(_ text: String, newline: Bool = true) {
        FileHandle.standardError.write(Data((newline ? text + "\n" : text).utf8))
    }
}
