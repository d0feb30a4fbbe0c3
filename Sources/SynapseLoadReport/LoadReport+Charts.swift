import Foundation
import SynapseCore

/// The HTML report's charts: the latency percentile plot and the over-time plots.
extension LoadReport {
    /// Colours for series, readable on white and told apart by most colour-blind readers.
    static let palette = ["#1f6feb", "#d97706", "#059669", "#9333ea", "#db2777", "#0891b2", "#65a30d", "#64748b"]

    /// Latency by percentile, overall and for the busiest routes, on the HdrHistogram plot's
    /// axis: x is the number of nines (0 → 0 %, 1 → 90 %, 2 → 99 %, 3 → 99.9 % …), so the tail
    /// gets as much room as the body.
    func percentileChart(overall: RouteStatistics) -> String? {
        guard overall.latency.count > 0 else { return nil }
        // Past 1 − 1/count the percentiles are all the maximum: stop where the data does.
        let nines = min(5, max(2, log10(Double(overall.latency.count)).rounded(.up)))
        var series = [SVGChart.Series(name: "all routes", color: Self.palette[0], points: Self.percentilePoints(overall.latency, nines: nines))]
        if statistics.routes.count > 1 {
            let busiest = statistics.routes.sorted { ($0.value.requests, $1.key) > ($1.value.requests, $0.key) }.prefix(Self.palette.count - 1)
            for (index, route) in busiest.enumerated() where route.value.latency.count > 0 {
                series.append(
                    SVGChart.Series(name: route.key, color: Self.palette[index + 1], points: Self.percentilePoints(route.value.latency, nines: nines)))
            }
        }
        let ticks = (0...Int(nines)).map { nine -> (value: Double, label: String) in
            let percent = 100 * (1 - pow(10, -Double(nine)))
            let label = nine == 0 ? "0%" : FigureUnit.decimal(percent, significant: nine + 2) + "%"
            return (Double(nine), label)
        }
        return SVGChart(
            title: "latency by percentile", xTitle: "percentile", yTitle: "latency", xRange: 0...nines, xTicks: ticks,
            yLabel: { FigureUnit.duration(micros: $0) }, series: series
        ).html()
    }

    private static func percentilePoints(_ histogram: MetricHistogram, nines: Double) -> [(x: Double, y: Double)] {
        stride(from: 0.0, through: nines + 1e-9, by: 0.05).compactMap { x in
            let percentile = 100 * (1 - pow(10, -x))
            return histogram.micros(atPercentile: percentile).map { (x, Double($0)) }
        }
    }

    /// Answers per second over the run (by completion time), with errors per second on the same axis.
    func throughputChart() -> String? {
        let series = statistics.timeSeries
        guard !series.buckets.isEmpty else { return nil }
        let requests = perSecond(\.requests)
        let errors = perSecond(\.errors)
        return timeChart(
            title: "throughput over time", yTitle: "requests per second",
            series: [
                SVGChart.Series(name: "requests/s", color: Self.palette[0], points: requests),
                SVGChart.Series(name: "errors/s", color: "#dc2626", points: errors),
            ], yLabel: { FigureUnit.decimal($0, significant: 3) })
    }

    /// Errors per second as bars; nil when the run had none.
    func errorChart() -> String? {
        let series = statistics.timeSeries
        guard series.buckets.contains(where: { $0.errors > 0 }) else { return nil }
        let errors = perSecond(\.errors)
        return timeChart(
            title: "errors over time", yTitle: "errors per second",
            series: [SVGChart.Series(name: "", color: "#dc2626", points: errors, style: .bars)], yLabel: { FigureUnit.decimal($0, significant: 3) })
    }

    /// Bytes per second, both directions together.
    func transferChart() -> String? {
        let series = statistics.timeSeries
        guard series.buckets.contains(where: { $0.bytes > 0 }) else { return nil }
        // Plotted in one binary unit picked by the peak, so the ticks are round (1, 2, 5 MiB/s)
        // rather than round numbers of bytes written as odd KiB.
        let bytes = perSecond(\.bytes)
        let peak = bytes.map(\.y).max() ?? 0
        let (unit, scale): (String, Double) = peak >= 1_048_576 ? ("MiB", 1_048_576) : peak >= 1_024 ? ("KiB", 1_024) : ("B", 1)
        let scaled = bytes.map { (x: $0.x, y: $0.y / scale) }
        return timeChart(
            title: "bytes over time", yTitle: "\(unit) per second (sent + received)",
            series: [SVGChart.Series(name: "", color: Self.palette[2], points: scaled)], yLabel: { FigureUnit.decimal($0, significant: 3) + " " + unit })
    }

    /// One count of each bucket per second, at the bucket's start. The bucket the run ended in
    /// is divided by the part of it the run lasted (a tenth at least), so a run that stops
    /// mid-bucket does not show a false dip.
    private func perSecond(_ count: KeyPath<TimeSeries.Bucket, Int>) -> [(x: Double, y: Double)] {
        let width = statistics.timeSeries.bucketWidth.seconds
        let end = elapsed.seconds
        return statistics.timeSeries.buckets.enumerated().map { index, bucket in
            let start = Double(index) * width
            let covered = end > start && end < start + width ? max(end - start, width / 10) : width
            return (x: start, y: Double(bucket[keyPath: count]) / covered)
        }
    }

    private func timeChart(title: String, yTitle: String, series: [SVGChart.Series], yLabel: @escaping (Double) -> String) -> String {
        let end = max(Double(statistics.timeSeries.buckets.count) * statistics.timeSeries.bucketWidth.seconds, 1)
        let (_, step) = SVGChart.niceScale(max: end)
        let ticks = stride(from: 0.0, through: end, by: step).map { (value: $0, label: Self.timeLabel($0)) }
        return SVGChart(
            title: title, xTitle: "time since start", yTitle: yTitle, xRange: 0...end, xTicks: ticks, yLabel: yLabel, series: series
        ).html()
    }

    /// `0s`, `45s`, `2m`, `2m 30s`: short labels for a time axis.
    static func timeLabel(_ seconds: Double) -> String {
        guard seconds >= 120 else { return FigureUnit.decimal(seconds, significant: 3) + "s" }
        let whole = Int(seconds.rounded())
        return whole % 60 == 0 ? "\(whole / 60)m" : "\(whole / 60)m \(whole % 60)s"
    }
}
