import Foundation
import SynapseCore
import Synchronization

/// The state of one scenario run: the responses seen so far (by label, and the last ones) and
/// the bodies sent, plus how to act on the target. Runs steps one by one.
struct StepExecution {
    /// Responses of one request step, and the SHA-256 of the body it sent.
    struct Sent: Sendable {
        var observations: [Observation]
        var bodySHA256: String
        /// SHA-256 of each multipart part sent, by field name.
        var partSHA256: [String: String] = [:]
    }

    let scenario: Scenario
    let target: ScenarioTarget
    let calls: HTTPCalls
    let driver: TimeDriver
    var payloads: PayloadBuilder
    let seed: UInt64
    var labelled: [String: Sent] = [:]
    /// Values captured so far (`capture:`), substituted into later steps as `${name}`.
    var variables = ScenarioVariables()
    var control: ControlActions { ControlActions(mocks: target.mocks, seed: seed) }
    var last: Sent?

    init(scenario: Scenario, target: ScenarioTarget, calls: HTTPCalls, driver: TimeDriver, payloads: PayloadBuilder, seed: UInt64) {
        self.scenario = scenario
        self.target = target
        self.calls = calls
        self.driver = driver
        self.payloads = payloads
        self.seed = seed
    }

    /// Against a running gateway: start from closed breakers (the mock set was reset when the
    /// runner attached to it).
    func resetTarget() async throws {
        let breakers = try await calls.json("GET", "\(target.gatewayURL)/admin/breakers")
        if case .object(let members)? = breakers.json?["breakers"] {
            for member in members { _ = try await calls.json("POST", "\(target.gatewayURL)/admin/breakers/\(member.0)/reset") }
        }
    }

    mutating func run(_ step: Step, index: Int) async -> StepResult {
        var result = StepResult(index: index, line: step.line, summary: summary(of: step.action))
        var own: Sent?
        do {
            let action = try variables.resolve(step.action)
            // The report shows what was really sent: the path with its captured values.
            result.summary = summary(of: action)
            switch action {
            case .fault, .clear, .reset:
                result.error = try await control.perform(action)
            case .request(let spec):
                let sent = try await send(spec)
                own = sent
                last = sent
                if let label = spec.label { labelled[label] = sent }
                try capture(spec.captures, from: sent)
            case .wait(let spec):
                if let duration = spec.duration { try await driver.pass(duration) }
                if !spec.until.isEmpty {
                    let (checks, met) = try await waitUntil(spec)
                    result.checks += checks
                    if !met { result.error = "conditions not met within \(ScenarioReport.format(spec.timeout))" }
                }
            case .load(let spec):
                let outcome = try await runLoad(spec, at: "\(step.keyPath).load")
                result.summary += ": \(outcome.summary)"
                result.checks += outcome.checks
            case .expect:
                break
            }
            try await driver.quiesce()
            for expectation in step.expectations {
                result.checks.append(try await evaluate(try variables.resolve(expectation), own: own))
            }
        } catch {
            result.error = "\(error)"
        }
        result.at = target.now()
        return result
    }

    /// Sends `count` requests with at most `concurrency` in flight while the driver moves virtual
    /// time whenever they all wait on the clock; observations come back in request order.
    mutating func send(_ spec: RequestSpec) async throws -> Sent {
        let payload = try await payloads.build(spec.body, speech: target.mocks)
        var allHeaders = spec.headers
        if let type = payload.contentType, !allHeaders.contains(where: { $0.0.lowercased() == "content-type" }) {
            allHeaders.append(("Content-Type", type))
        }
        let headers = allHeaders
        let url = target.gatewayURL + spec.path
        // One body, or for `jsonCycle` one per position in the cycle.
        let bodies: [[UInt8]]
        if case .jsonCycle(let values) = spec.body { bodies = values.map { Array($0.text().utf8) } } else { bodies = [payload.bytes] }
        let (calls, driver, target) = (self.calls, self.driver, self.target)
        let clock: @Sendable () -> Duration = { target.now() }
        let control = self.control
        let observations = await withTaskGroup(of: (Int, Observation)?.self) { group -> [Observation] in
            // The driver (which also performs the `during` actions, so the clock cannot move on
            // while one is under way) is cancelled below, as soon as the last response is in.
            let start = target.now()
            group.addTask {
                await driver.drive(start: start, during: spec.during) { action in _ = try? await control.perform(action) }
                return nil
            }
            var results = [Observation?](repeating: nil, count: spec.count)
            var next = 0
            func launch(_ group: inout TaskGroup<(Int, Observation)?>) {
                let index = next
                let body = bodies[index % bodies.count]
                next += 1
                // Counted before the child task exists: the driver must never see it as absent.
                driver.traffic.begin()
                group.addTask {
                    let observation = await target.withClientTimeout(spec.timeout) {
                        await calls.send(
                            method: spec.method, url: url, headers: headers, body: body, stream: spec.stream,
                            timeout: spec.timeout, clock: clock)
                    }
                    driver.traffic.end()
                    return (index, observation)
                }
            }
            while next < min(spec.concurrency, spec.count) { launch(&group) }
            var done = 0
            while done < spec.count, let item = await group.next() {
                guard let (index, observation) = item else { continue }
                results[index] = observation
                done += 1
                if next < spec.count { launch(&group) }
            }
            group.cancelAll()
            return results.compactMap { $0 }
        }
        return Sent(observations: observations, bodySHA256: SHA256.hex(payload.bytes), partSHA256: payload.partSHA256)
    }

    /// Keeps the captured values of a request step; a value that is not there fails the step.
    mutating func capture(_ captures: [Capture], from sent: Sent) throws {
        for capture in captures {
            guard let value = Self.value(of: capture.source, in: sent) else {
                let status = sent.observations.first.map { "status \($0.status)" } ?? "no response"
                throw CaptureFailure(description: "capture \(capture.name): \(capture.source) is absent (\(status))")
            }
            variables[capture.name] = value
        }
    }

    /// A `capture:` that found nothing to keep.
    struct CaptureFailure: Error, CustomStringConvertible {
        var description: String
    }

    static func value(of source: Capture.Source, in sent: Sent) -> JSONValue? {
        switch source {
        case .json(let path): return sent.observations.first?.json?.value(at: path)
        case .header(let name): return sent.observations.first?.header(name).map(JSONValue.string)
        case .status: return sent.observations.first.map { .number(Double($0.status)) }
        case .sentPartSHA256(let part): return sent.partSHA256[part].map(JSONValue.string)
        case .sentBodySHA256: return .string(sent.bodySHA256)
        }
    }

    /// Checks the conditions after every move of the clock until they hold or `timeout` passes.
    func waitUntil(_ spec: WaitSpec) async throws -> ([CheckResult], Bool) {
        let start = target.now()
        while true {
            try await driver.quiesce()
            var checks: [CheckResult] = []
            for expectation in spec.until { checks.append(try await evaluate(expectation, own: nil)) }
            if checks.allSatisfy(\.passed) { return (checks, true) }
            if target.now() - start >= spec.timeout { return (checks, false) }
            // Virtual time moves in one-second steps (sleepers on the way wake in order); real time is polled.
            switch target.time {
            case .virtual: try await driver.pass(min(.seconds(1), spec.timeout - (target.now() - start)))
            case .real: try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    func summary(of action: Step.Action) -> String {
        switch action {
        case .fault(let mock, let rule):
            let extras = rule.text()
            return "fault \(mock) \(extras)"
        case .clear(let mocks): return "clear faults of \(mocks?.joined(separator: ", ") ?? "all mocks")"
        case .reset(let mock): return "reset \(mock)"
        case .request(let spec):
            var text = "request \(spec.method) \(spec.path)"
            if spec.count > 1 { text += " ×\(spec.count)" + (spec.concurrency > 1 ? " (\(spec.concurrency) at a time)" : "") }
            if let label = spec.label { text += " as \(label)" }
            return text
        case .load(let spec):
            var text = "load \(spec.recording)"
            switch spec.pacing {
            case .rate(let rate): text += " at \(rate.formatted())/s"
            case .concurrency(let clients): text += " with \(clients) clients"
            case .recorded(let speed): text += speed == 1 ? " as recorded" : " at \(speed.formatted())× speed"
            }
            if let duration = spec.duration { text += " for \(ScenarioReport.format(duration))" }
            return text
        case .wait(let spec):
            var parts: [String] = []
            if let duration = spec.duration { parts.append(ScenarioReport.format(duration)) }
            if !spec.until.isEmpty {
                parts.append("until \(spec.until.count) condition\(spec.until.count == 1 ? "" : "s") hold (≤ \(ScenarioReport.format(spec.timeout)))")
            }
            return "wait " + parts.joined(separator: ", ")
        case .expect: return "expect"
        }
    }
}
