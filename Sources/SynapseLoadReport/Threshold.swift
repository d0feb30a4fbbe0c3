/// A pass/fail rule over the run's figures: `p99<500ms`, `errors<1%`, `ttft.p95<800ms`,
/// `/v1/chat/completions:p99<2s`.
///
/// ```
/// threshold  := [scope ":"] metric op limit
/// scope      := a route label (POST /v1/chat/completions) or a path (every method on it);
///               a trailing * matches a path prefix (/v1/audio/*)
/// metric     := stat | "latency." stat | timing "." stat | errors | rps | throughput | requests
/// stat       := p<number> (p50, p90, p95, p99, p99.9 …) | max | mean
/// timing     := ttfb | ttft | itl | ttfa | rtf | ttfs | overhead
/// op         := < | <= | > | >=
/// limit      := number unit     durations: us (or µs), ms, s, m; no bare numbers
///             | number %        errors: a percentage …
///             | number          … or a fraction 0 … 1; rps, requests and rtf: bare only
/// ```
///
/// A threshold on a figure the run has no data for fails, with the reason, rather than pass.
public struct Threshold: Sendable, Equatable {
    /// What a threshold measures.
    public enum Metric: Sendable, Equatable {
        /// A statistic of the request latency (`p99`, `latency.max`).
        case latency(Statistic)
        /// A statistic of a streaming or gateway timing (`ttft.p95`, `rtf.p50`).
        case timing(Timing, Statistic)
        /// Errors over requests, a fraction 0 … 1 (`errors`).
        case errorRate
        /// Requests per second over the elapsed time (`rps`, `throughput`).
        case throughput
        /// The number of requests (`requests`).
        case requests
    }

    /// The timings beyond latency, by the name thresholds use.
    public enum Timing: String, Sendable, CaseIterable {
        /// Time to first byte.
        case ttfb
        /// Chat streams: time to first token.
        case ttft
        /// Chat streams: inter-token latency (the gaps between content events).
        case itl
        /// TTS: time to first audio byte.
        case ttfa
        /// TTS: real-time factor (a ratio; see `RouteStatistics.realTimeFactor(of:)`).
        case rtf
        /// STT streams: time to first segment.
        case ttfs
        /// The gateway's own time (`X-Synapse-Overhead-Ms`).
        case overhead

        /// Whether values are durations (microseconds) rather than ratios.
        public var isDuration: Bool { self != .rtf }
    }

    public enum Comparison: String, Sendable, Equatable {
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="

        /// Whether `actual` is on the right side of `limit`.
        public func holds(_ actual: Double, _ limit: Double) -> Bool {
            switch self {
            case .less: actual < limit
            case .lessOrEqual: actual <= limit
            case .greater: actual > limit
            case .greaterOrEqual: actual >= limit
            }
        }
    }

    /// The text as the user wrote it, for messages and reports.
    public var source: String
    /// The route label, path or path prefix the threshold is limited to; nil: the whole run.
    public var scope: String?
    public var metric: Metric
    public var comparison: Comparison
    /// The limit in the metric's unit: microseconds for durations, a fraction for `errors`,
    /// requests per second, a count, or a ratio for `rtf`.
    public var limit: Double

    public init(source: String, scope: String? = nil, metric: Metric, comparison: Comparison, limit: Double) {
        self.source = source
        self.scope = scope
        self.metric = metric
        self.comparison = comparison
        self.limit = limit
    }

    /// The kind of value the metric has, for parsing limits and writing figures.
    public var unit: FigureUnit { metric.unit }
}

extension Threshold.Metric {
    /// The kind of value the metric has.
    public var unit: FigureUnit {
        switch self {
        case .latency: .duration
        case .timing(let timing, _): timing.isDuration ? .duration : .ratio
        case .errorRate: .fraction
        case .throughput: .rate
        case .requests: .count
        }
    }

    /// The metric's name as written (`p99`, `ttft.p95`, `errors`).
    public var name: String {
        switch self {
        case .latency(let statistic): "\(statistic)"
        case .timing(let timing, let statistic): "\(timing.rawValue).\(statistic)"
        case .errorRate: "errors"
        case .throughput: "rps"
        case .requests: "requests"
        }
    }
}
