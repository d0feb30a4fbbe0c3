import Foundation
import SynapseHAR
import SynapseLoad
import SynapseLoadReport

/// `load:` steps: the recording replayed by the load engine against the scenario's gateway,
/// `during:` actions on the mocks beside it, then one check per threshold.
extension StepExecution {
    /// What a load step measured, for its checks and its line in the report.
    struct LoadOutcome {
        var checks: [CheckResult]
        var summary: String
    }

    func runLoad(_ spec: LoadStepSpec, at keyPath: String) async throws -> LoadOutcome {
        let plan = try loadPlan(spec)
        let run: LoadRun
        do {
            run = try await LoadRun.start(plan)
        } catch {
            throw ScenarioError.setupFailed("load: \(error)")
        }
        // The actions run on real time from the step's start (a load scenario is on real time).
        let started = ContinuousClock.now
        let control = control
        let problems = try await withThrowingTaskGroup(of: String?.self) { group in
            for (at, action) in spec.during {
                group.addTask {
                    try await Task.sleep(until: started.advanced(by: at), clock: .continuous)
                    return try await control.perform(action).map { "during at \(ScenarioReport.format(at)): \($0)" }
                }
            }
            var problems: [String] = []
            for try await problem in group { if let problem { problems.append(problem) } }
            return problems
        }
        let result = await run.finished()
        if !problems.isEmpty { throw ScenarioError.setupFailed(problems.joined(separator: "; ")) }
        let checks = zip(spec.thresholds, spec.thresholdLines).enumerated().map { index, item in
            let (threshold, line) = item
            let outcome = threshold.evaluate(result.statistics, elapsed: result.elapsed)
            let observed: String
            if case .noData(let reason) = outcome.verdict { observed = "no data: \(reason)" } else { observed = outcome.actualText }
            return CheckResult(line: line, keyPath: "\(keyPath).thresholds[\(index)]", expected: threshold.source, observed: observed, passed: outcome.passed)
        }
        let statistics = result.statistics
        let p99 = statistics.overall.latency.micros(atPercentile: 99).map { ScenarioReport.format(.microseconds($0)) } ?? "-"
        return LoadOutcome(
            checks: checks,
            summary: "\(statistics.requests) requests in \(ScenarioReport.format(result.elapsed)), \(statistics.errors) errors, p99 \(p99)")
    }

    /// The recording, read and rewritten for the scenario's gateway, at the step's pace.
    func loadPlan(_ spec: LoadStepSpec) throws -> LoadPlan {
        let candidates = spec.recording.hasPrefix("/") ? [spec.recording] : payloads.searchPaths.map { ($0 as NSString).appendingPathComponent(spec.recording) }
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw ScenarioError.setupFailed("recording '\(spec.recording)' not found (looked in: \(candidates.joined(separator: ", ")))")
        }
        let archive: HARArchive
        let target: TargetURL
        do {
            archive = try HARArchive.load(path)
            target = try TargetURL.parse(self.target.gatewayURL)
        } catch {
            throw ScenarioError.setupFailed("load: \(error)")
        }
        var rewrite = RequestRewrite(target: target)
        rewrite.headers = spec.headers.map { (name: $0.0, value: $0.1) }
        rewrite.routePrefixes = spec.routes
        let pacing: Pacing
        switch spec.pacing {
        case .rate(let rate): pacing = .rate(.constant(rate), arrival: .constant)
        case .concurrency(let clients): pacing = .concurrency(.constant(Double(clients)))
        case .recorded(let speed): pacing = .recorded(speed: speed)
        }
        var plan = LoadPlan(requests: rewrite.requests(from: archive.exchanges).requests, target: target, pacing: pacing)
        plan.loops = spec.loop
        plan.duration = spec.duration
        plan.timeout = spec.timeout
        plan.seed = seed
        // The gateway and the mocks share the machine with the load: one sending loop is plenty
        // for the rates a scenario asks for.
        plan.threads = 1
        return plan
    }
}
