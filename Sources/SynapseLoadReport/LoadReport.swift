import SynapseCore

/// The end of a run: the figures, each threshold's outcome, and how the run was made (command,
/// seed), written for the terminal (`text()`), as JSON, JUnit XML and a self-contained HTML page.
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

    /// Each threshold checked against the run, in the order given.
    public var outcomes: [ThresholdOutcome] {
        thresholds.map { $0.evaluate(statistics, elapsed: elapsed) }
    }

    /// The thresholds that failed, no-data ones included (empty: the run passed; exit code 0).
    public var failedThresholds: [Threshold] {
        outcomes.filter { !$0.passed }.map(\.threshold)
    }

    /// Requests per second over the whole run; nil when it took no time.
    func throughput(of figures: RouteStatistics) -> Double? {
        elapsed > .zero ? Double(figures.requests) / elapsed.seconds : nil
    }

    /// The command line as one shell-like string, arguments with spaces quoted.
    var commandLine: String {
        command.map { argument in
            argument.isEmpty || argument.contains(where: { $0 == " " || $0 == "'" || $0 == "\"" || $0 == "<" || $0 == ">" })
                ? "'" + argument.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'" : argument
        }.joined(separator: " ")
    }

    /// Values above the histograms' range, over every timing: a report says its maxima are floors.
    func clampedValues(in figures: RouteStatistics) -> Int {
        TimingFigure.all(in: figures).reduce(0) { $0 + $1.histogram.clamped }
    }
}
