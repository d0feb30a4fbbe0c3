/// One timing of a route's figures with its name and unit, so the text, JSON and HTML reports
/// list the same timings in the same order.
struct TimingFigure {
    /// The threshold name (`latency`, `ttft`, `rtf` …).
    var key: String
    /// What it is, for a reader.
    var title: String
    var histogram: MetricHistogram
    var unit: FigureUnit

    /// A statistic in the figure's unit: microseconds, or a ratio for RTF (kept in millionths).
    func value(_ statistic: Statistic) -> Double? {
        guard let value = histogram.value(of: statistic) else { return nil }
        return unit == .ratio ? value / 1_000_000 : value
    }

    func format(_ statistic: Statistic) -> String {
        value(statistic).map { unit.format($0) } ?? "–"
    }

    /// Latency first, then each streaming and gateway timing.
    static func all(in figures: RouteStatistics) -> [TimingFigure] {
        [TimingFigure(key: "latency", title: "latency", histogram: figures.latency, unit: .duration)]
            + Threshold.Timing.allCases.map { timing in
                TimingFigure(
                    key: timing.rawValue, title: title(timing), histogram: Threshold.histogram(timing, in: figures),
                    unit: timing.isDuration ? .duration : .ratio)
            }
    }

    private static func title(_ timing: Threshold.Timing) -> String {
        switch timing {
        case .ttfb: "time to first byte"
        case .ttft: "time to first token (chat)"
        case .itl: "inter-token gap (chat)"
        case .ttfa: "time to first audio byte (TTS)"
        case .rtf: "real-time factor (TTS)"
        case .ttfs: "time to first segment (STT)"
        case .overhead: "gateway overhead"
        }
    }
}
