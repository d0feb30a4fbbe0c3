import SynapseCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one-line live display on a terminal, written about once a second by the command:
///
/// ```
///   1m 05s  12345 req  205.7/s  32 in flight  0.097% errors  p99 412 ms
/// ```
///
/// The command writes `"\r" + line + "\u{1B}[K"` (`ProgressLine.frame(_:)`), and nothing at all
/// when standard error is not a terminal (`ProgressLine.isTerminal(fileDescriptor: 2)`).
public struct ProgressLine: Sendable {
    /// The widest line rendered, in characters: fits a 100-column terminal.
    public static let width = 100

    public init() {}

    /// The line for `statistics` (all workers merged) after `elapsed`. The rate is that of the
    /// last complete time-series bucket (answers per second just now), or the average in the
    /// first second.
    public func render(_ statistics: LoadStatistics, elapsed: Duration, inFlight: Int) -> String {
        let overall = statistics.overall
        let errors = overall.errorRate.map { FigureUnit.fraction.format($0) } ?? "–"
        let p99 = overall.latency.micros(atPercentile: 99).map { FigureUnit.duration(micros: Double($0)) } ?? "–"
        let line =
            "\(FigureUnit.duration(micros: elapsed.seconds * 1_000_000))  \(overall.requests) req  "
            + "\(FigureUnit.rate.format(currentRate(statistics.timeSeries, elapsed: elapsed, requests: overall.requests)))  "
            + "\(inFlight) in flight  \(errors) errors  p99 \(p99)"
        return line.count <= Self.width ? line : String(line.prefix(Self.width))
    }

    /// Carriage return, the line, erase to the end of the line: what the command writes.
    public static func frame(_ line: String) -> String {
        "\r" + line + "\u{1B}[K"
    }

    /// Erases the line (before the final report is printed).
    public static let clear = "\r\u{1B}[K"

    /// Whether `fileDescriptor` is a terminal; the command stays quiet when standard error is not.
    public static func isTerminal(fileDescriptor: Int32) -> Bool {
        isatty(fileDescriptor) == 1
    }

    private func currentRate(_ series: TimeSeries, elapsed: Duration, requests: Int) -> Double {
        let width = series.bucketWidth
        // The bucket in progress is partial; the one before it is the latest whole one.
        let current = Int(elapsed / width)
        guard current >= 1 else { return elapsed > .zero ? Double(requests) / elapsed.seconds : 0 }
        let index = current - 1
        let bucket = index < series.buckets.count ? series.buckets[index] : TimeSeries.Bucket()
        return Double(bucket.requests) / width.seconds
    }
}
