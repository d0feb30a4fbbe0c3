/// A pass/fail rule over the run's figures: `p99<500ms`, `errors<1%`, `ttft.p95<800ms`,
/// `/v1/chat/completions:p99<2s`.
///
/// STUB: the API the command codes against; the implementation lands with the reports.
public struct Threshold: Sendable, Equatable {
    /// The text as the user wrote it, for messages and reports.
    public var source: String

    /// Parses one `--threshold` argument; the error says what is wrong with it.
    public static func parse(_ text: String) throws(ThresholdError) -> Threshold {
        Threshold(source: text)
    }
}

public struct ThresholdError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
}
