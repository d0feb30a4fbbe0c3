import Histogram

/// One HDR histogram of a run's figure (a latency, a gap, a ratio), bounded in memory and
/// mergeable without loss: values are kept as integers in micro-units (microseconds for
/// durations, millionths for ratios), from 1 to 3.6e9 (an hour of microseconds), three
/// significant digits.
///
/// Values above the range are clamped to its top and counted in `clamped`, so a report can say
/// that its maximum is a floor rather than drop them silently.
public struct MetricHistogram: Sendable {
    /// The largest value kept exactly enough: one hour in microseconds, an RTF of 3,600.
    public static let highestValue: UInt64 = 3_600_000_000

    // Allocated on the first value: most routes never see a token or an audio byte, and an
    // empty histogram at this range and precision is ~180 KiB of counters.
    private var histogram: Histogram<UInt64>?
    /// Values above `highestValue`, recorded as `highestValue`.
    public private(set) var clamped = 0

    public init() {}

    /// How many values were recorded.
    public var count: Int { Int(histogram?.totalCount ?? 0) }
    public var isEmpty: Bool { count == 0 }

    /// Records a duration, in microseconds; negative durations (a clock step) count as zero.
    @inline(__always)
    public mutating func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return record(micros: 0) }
        // Huge durations would overflow UInt64 microseconds: one past the top clamps and counts.
        let micros =
            seconds > Int64(Self.highestValue) ? Self.highestValue + 1 : UInt64(seconds) * 1_000_000 + UInt64(attoseconds / 1_000_000_000_000)
        record(micros: micros)
    }

    /// Records a ratio (or any unit-less figure) in millionths.
    @inline(__always)
    public mutating func record(ratio: Double) {
        guard !ratio.isNaN else { return }
        let scaled = Swift.max(0, ratio) * 1_000_000
        // Above the range (infinity included) goes in one past the top, which clamps and counts.
        record(micros: scaled > Double(Self.highestValue) ? Self.highestValue + 1 : UInt64(scaled.rounded()))
    }

    /// Records a raw value in micro-units.
    @inline(__always)
    public mutating func record(micros: UInt64) {
        if histogram == nil { histogram = Self.makeHistogram() }
        var value = micros
        if value > Self.highestValue {
            value = Self.highestValue
            clamped += 1
        }
        histogram!.record(value)
    }

    /// Adds another histogram's values; the result equals recording both into one.
    public mutating func merge(_ other: MetricHistogram) {
        clamped += other.clamped
        guard let theirs = other.histogram else { return }
        if histogram == nil {
            histogram = theirs
        } else {
            histogram!.add(theirs)
        }
    }

    /// The value at `percentile` (0…100), in micro-units; nil when empty.
    public func micros(atPercentile percentile: Double) -> UInt64? {
        guard let histogram, histogram.totalCount > 0 else { return nil }
        return histogram.valueAtPercentile(percentile)
    }

    /// The largest value recorded exactly (not rounded up to its bucket), in micro-units.
    public var maxMicros: UInt64? {
        guard let histogram, histogram.totalCount > 0 else { return nil }
        return histogram.maxRecorded
    }

    /// The mean in micro-units (bucket midpoints, so within the histogram's precision).
    public var meanMicros: Double? {
        guard let histogram, histogram.totalCount > 0 else { return nil }
        return histogram.mean
    }

    /// A statistic in micro-units: a percentile, the maximum or the mean.
    public func value(of statistic: Statistic) -> Double? {
        // Not `map(Double.init)`: unlabelled, that can resolve to `init(bitPattern:)`.
        switch statistic {
        case .percentile(let p): micros(atPercentile: p).map { Double($0) }
        case .max: maxMicros.map { Double($0) }
        case .mean: meanMicros
        }
    }

    private static func makeHistogram() -> Histogram<UInt64> {
        Histogram(lowestDiscernibleValue: 1, highestTrackableValue: highestValue, numberOfSignificantValueDigits: .three)
    }
}
