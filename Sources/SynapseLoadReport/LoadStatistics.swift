/// Everything a load run measured, mergeable: one per worker while running, merged for the
/// progress line and the report. Bounded memory whatever the run's length (HDR histograms,
/// counters, a coarse time series).
///
/// STUB: the API the engine codes against; the implementation lands with the reports.
public struct LoadStatistics: Sendable {
    public private(set) var requests = 0
    public private(set) var errors = 0

    public init() {}

    /// Adds one finished request.
    public mutating func record(_ sample: RequestSample) {
        requests += 1
        if sample.isError { errors += 1 }
    }

    /// Adds another worker's figures to these.
    public mutating func merge(_ other: LoadStatistics) {
        requests += other.requests
        errors += other.errors
    }
}
