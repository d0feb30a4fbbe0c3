import SynapseCore

/// The terminal rendering: overall figures, timings, errors, a per-route table, the thresholds.
extension LoadReport {
    /// A few lines for the terminal: the overall figures, the per-route table, each threshold
    /// with ✓ or ✗ and its actual value against its limit, and the failed ones named last.
    public func text() -> String {
        let overall = statistics.overall
        var lines: [String] = []
        let rate = throughput(of: overall).map { FigureUnit.rate.format($0) } ?? "–"
        let errorRate = overall.errorRate.map { FigureUnit.fraction.format($0) } ?? "–"
        lines.append(
            "\(overall.requests) requests in \(FigureUnit.duration(micros: elapsed.seconds * 1_000_000)) (\(rate)), "
                + "\(overall.errors) errors (\(errorRate))")
        lines.append("sent \(FigureUnit.bytes(overall.bytesSent)), received \(FigureUnit.bytes(overall.bytesReceived))")
        lines.append("")

        let statistics = Statistic.reported
        var timingRows = [["", "count"] + statistics.map(\.description)]
        for figure in TimingFigure.all(in: overall) where !figure.histogram.isEmpty {
            timingRows.append([figure.key, String(figure.histogram.count)] + statistics.map { figure.format($0) })
        }
        lines += Self.table(timingRows, leftAligned: 1)

        if !overall.statuses.isEmpty || !overall.failures.isEmpty {
            lines.append("")
            let statuses = overall.statuses.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }
            if !statuses.isEmpty { lines.append("statuses: " + statuses.joined(separator: ", ")) }
            let failures = RequestSample.FailureKind.allCases.compactMap { kind in
                overall.failures[kind].map { "\(kind.rawValue) ×\($0)" }
            }
            if !failures.isEmpty { lines.append("failures: " + failures.joined(separator: ", ")) }
        }

        if self.statistics.routes.count > 0 {
            lines.append("")
            var routeRows = [["route", "requests", "errors", "rate", "p50", "p90", "p99", "p99.9", "max"]]
            for label in self.statistics.routeLabels {
                guard let route = self.statistics.routes[label] else { continue }
                let latency = TimingFigure.all(in: route)[0]
                routeRows.append(
                    [
                        label, String(route.requests), route.errorRate.map { FigureUnit.fraction.format($0) } ?? "–",
                        throughput(of: route).map { FigureUnit.rate.format($0) } ?? "–",
                    ] + [Statistic.percentile(50), .percentile(90), .percentile(99), .percentile(99.9), .max].map { latency.format($0) })
            }
            lines += Self.table(routeRows, leftAligned: 1)
        }

        let clamped = clampedValues(in: overall)
        if clamped > 0 {
            lines.append("")
            lines.append("note: \(clamped) values above 1 hour were counted as 1 hour; maxima are floors")
        }

        let outcomes = outcomes
        if !outcomes.isEmpty {
            lines.append("")
            let passed = outcomes.filter(\.passed).count
            lines.append("thresholds: \(passed) of \(outcomes.count) passed")
            for outcome in outcomes {
                lines.append("  \(outcome.passed ? "✓" : "✗") \(outcome.summary)")
            }
            let failed = outcomes.filter { !$0.passed }.map(\.threshold.source)
            if !failed.isEmpty { lines.append("FAILED: " + failed.joined(separator: ", ")) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Columns padded to their widest cell: the first `leftAligned` columns on the left, the
    /// figures on the right.
    static func table(_ rows: [[String]], leftAligned: Int) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column < leftAligned ? cell + padding : padding + cell
            }.joined(separator: "  ").trimmingTrailingSpaces
        }
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
