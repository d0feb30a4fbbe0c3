/// Everything a load run measured, mergeable: one per worker while running, merged for the
/// progress line and the report. Bounded memory whatever the run's length (HDR histograms,
/// counters, a coarse time series).
///
/// ```
///   worker 1: record(sample) ─┐
///   worker 2: record(sample) ─┼─ merge ─▶ LoadStatistics ─▶ ProgressLine / LoadReport
///   worker n: record(sample) ─┘                 └─ overall = the routes merged
/// ```
///
/// Samples are recorded per route only; the overall figures are the routes merged (exact, since
/// HDR histograms of one layout add bucket by bucket), which halves the cost of `record(_:)`.
public struct LoadStatistics: Sendable {
    /// The figures of each route, keyed by its label (`POST /v1/chat/completions`).
    public private(set) var routes: [String: RouteStatistics] = [:]
    /// Requests, errors and bytes over time.
    public private(set) var timeSeries: TimeSeries

    public init(timeSeriesCapacity: Int = 3_600) {
        timeSeries = TimeSeries(capacity: timeSeriesCapacity)
    }

    /// Adds one finished request.
    public mutating func record(_ sample: RequestSample) {
        // The default is built only for a new route; otherwise the value is mutated in place.
        routes[sample.route, default: RouteStatistics()].record(sample)
        timeSeries.record(sample)
    }

    /// Adds another worker's figures to these.
    public mutating func merge(_ other: LoadStatistics) {
        for (route, figures) in other.routes {
            routes[route, default: RouteStatistics()].merge(figures)
        }
        timeSeries.merge(other.timeSeries)
    }

    /// All routes merged. Computed on each call: keep the result when reading it more than once.
    public var overall: RouteStatistics {
        var total = RouteStatistics()
        for figures in routes.values { total.merge(figures) }
        return total
    }

    public var requests: Int { routes.values.reduce(0) { $0 + $1.requests } }
    public var errors: Int { routes.values.reduce(0) { $0 + $1.errors } }

    /// The route labels in order, for tables.
    public var routeLabels: [String] { routes.keys.sorted() }

    /// The routes a threshold's scope names: the label itself (`POST /v1/chat/completions`),
    /// or every method on a path (`/v1/chat/completions`); a trailing `*` matches a path prefix.
    public func routes(matching scope: String) -> [String] {
        routeLabels.filter { label in
            let path = label.firstIndex(of: " ").map { String(label[label.index(after: $0)...]) } ?? label
            if scope.hasSuffix("*") {
                let prefix = String(scope.dropLast())
                return label.hasPrefix(prefix) || path.hasPrefix(prefix)
            }
            return label == scope || path == scope
        }
    }
}
