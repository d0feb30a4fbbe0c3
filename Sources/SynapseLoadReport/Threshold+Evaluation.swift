import SynapseCore

/// Checking a threshold against a run's figures.
extension Threshold {
    /// The outcome of this threshold over `statistics`, a run of `elapsed`.
    public func evaluate(_ statistics: LoadStatistics, elapsed: Duration) -> ThresholdOutcome {
        guard let scope else { return evaluate(statistics.overall, elapsed: elapsed, what: "requests were replayed") }
        let labels = statistics.routes(matching: scope)
        guard !labels.isEmpty else { return noData("no replayed route matches \(scope)") }
        var figures = RouteStatistics()
        for label in labels {
            if let route = statistics.routes[label] { figures.merge(route) }
        }
        return evaluate(figures, elapsed: elapsed, what: "requests to \(scope) were replayed")
    }

    /// The outcome over the figures of one route (or the whole run, merged).
    func evaluate(_ figures: RouteStatistics, elapsed: Duration, what: String = "requests were replayed") -> ThresholdOutcome {
        let measured: Double
        switch metric {
        case .requests:
            measured = Double(figures.requests)
        case .errorRate:
            guard let rate = figures.errorRate else { return noData("no \(what)") }
            measured = rate
        case .throughput:
            guard elapsed > .zero else { return noData("the run took no time") }
            measured = Double(figures.requests) / elapsed.seconds
        case .latency(let statistic):
            guard let value = figures.latency.value(of: statistic) else { return noData("no \(what)") }
            measured = value
        case .timing(let timing, let statistic):
            let histogram = Self.histogram(timing, in: figures)
            guard let value = histogram.value(of: statistic) else { return noData(Self.missing(timing, in: figures)) }
            // RTF is recorded in millionths.
            measured = timing.isDuration ? value : value / 1_000_000
        }
        return ThresholdOutcome(threshold: self, verdict: comparison.holds(measured, limit) ? .passed : .failed, actual: measured)
    }

    private func noData(_ reason: String) -> ThresholdOutcome {
        ThresholdOutcome(threshold: self, verdict: .noData(reason), actual: nil)
    }

    static func histogram(_ timing: Timing, in figures: RouteStatistics) -> MetricHistogram {
        switch timing {
        case .ttfb: figures.firstByte
        case .ttft: figures.firstToken
        case .itl: figures.tokenGaps
        case .ttfa: figures.firstAudio
        case .rtf: figures.realTimeFactor
        case .ttfs: figures.firstSegment
        case .overhead: figures.overhead
        }
    }

    /// Why a timing has no values: no requests of its kind, or requests that never got that far.
    private static func missing(_ timing: Timing, in figures: RouteStatistics) -> String {
        switch timing {
        case .ttfb: "no response arrived"
        case .ttft:
            figures.chatStreams == 0 ? "no chat event streams were replayed" : "no chat stream delivered a content event"
        case .itl:
            figures.chatStreams == 0 ? "no chat event streams were replayed" : "no chat stream delivered two content events"
        case .ttfa:
            figures.audioStreams == 0 ? "no audio (TTS) responses were replayed" : "no audio response delivered an audio byte"
        case .rtf:
            figures.audioStreams == 0 ? "no audio (TTS) responses were replayed" : "no complete audio response said how long its audio is"
        case .ttfs:
            figures.transcriptStreams == 0 ? "no transcription event streams were replayed" : "no transcription stream delivered a segment"
        case .overhead: "the target sent no X-Synapse-Overhead-Ms header"
        }
    }
}
