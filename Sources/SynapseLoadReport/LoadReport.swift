/// The end of a run: the figures, each threshold's outcome, and how the run was made (command,
/// seed), written as JSON, JUnit XML and a self-contained HTML page.
///
/// STUB: the API the command codes against; the implementation lands with the reports.
public struct LoadReport: Sendable {
    public var statistics: LoadStatistics
    public var elapsed: Duration
    public var thresholds: [Threshold]
    /// The command line that made the run, for the report.
    public var command: [String]
    public var seed: UInt64

    public init(statistics: LoadStatistics, elapsed: Duration, thresholds: [Threshold], command: [String], seed: UInt64) {
        self.statistics = statistics
        self.elapsed = elapsed
        self.thresholds = thresholds
        self.command = command
        self.seed = seed
    }

    /// The thresholds that failed (empty: the run passed; exit code 0).
    public var failedThresholds: [Threshold] { [] }

    /// A few lines for the terminal: the overall figures, the per-route table, each threshold.
    public func text() -> String { "requests: \(statistics.requests), errors: \(statistics.errors)\n" }
    public func json() -> String { "{}" }
    public func junit() -> String { "<testsuites/>" }
    public func html() -> String { "<!doctype html><title>load report</title>" }
}
