/// Which figure of a histogram a threshold or a report column means.
public enum Statistic: Sendable, Hashable, CustomStringConvertible {
    /// The value at this percentile, 0 … 100 (`p99` is 99, `p99.9` is 99.9).
    case percentile(Double)
    case max
    case mean

    /// The percentiles every report shows, in order.
    public static let reported: [Statistic] = [.percentile(50), .percentile(90), .percentile(99), .percentile(99.9), .max, .mean]

    /// `p50`, `p99.9`, `max`, `mean`: the spelling thresholds use.
    public var description: String {
        switch self {
        case .percentile(let p):
            // 99.0 prints as p99, 99.9 as p99.9.
            p == p.rounded() ? "p\(Int(p))" : "p\(p)"
        case .max: "max"
        case .mean: "mean"
        }
    }
}
