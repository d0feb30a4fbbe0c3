/// The one-line live display on a terminal (`\r` + the line + erase to end of line), written
/// about once a second by the command; nothing when standard error is not a terminal.
///
/// STUB: the API the engine codes against; the implementation lands with the reports.
public struct ProgressLine: Sendable {
    public init() {}

    public func render(_ statistics: LoadStatistics, elapsed: Duration, inFlight: Int) -> String {
        "\(statistics.requests) requests, \(inFlight) in flight"
    }
}
