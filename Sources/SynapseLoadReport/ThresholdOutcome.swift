/// One threshold checked against a run: passed, failed, or failed for want of data, with the
/// measured value and both written for a reader.
public struct ThresholdOutcome: Sendable, Equatable {
    public enum Verdict: Sendable, Equatable {
        case passed
        case failed
        /// The run has nothing to measure this by; counts as a failure. The reason says why
        /// (`no chat event streams were replayed`).
        case noData(String)
    }

    public var threshold: Threshold
    public var verdict: Verdict
    /// The measured value in the threshold's unit (microseconds, a fraction …); nil with no data.
    public var actual: Double?

    public init(threshold: Threshold, verdict: Verdict, actual: Double?) {
        self.threshold = threshold
        self.verdict = verdict
        self.actual = actual
    }

    public var passed: Bool { verdict == .passed }

    /// `612 ms`, or `no data`.
    public var actualText: String {
        actual.map { threshold.unit.format($0) } ?? "no data"
    }

    /// `< 500 ms`.
    public var limitText: String {
        "\(threshold.comparison.rawValue) \(threshold.unit.format(threshold.limit))"
    }

    /// One line: `p99<500ms: 612 ms, limit < 500 ms` or `ttft.p95<800ms: no data: no chat …`.
    public var summary: String {
        if case .noData(let reason) = verdict { return "\(threshold.source): no data: \(reason)" }
        return "\(threshold.source): \(actualText), limit \(limitText)"
    }
}
