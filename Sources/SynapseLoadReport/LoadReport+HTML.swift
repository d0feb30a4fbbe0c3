import SynapseCore

/// The HTML rendering: one self-contained file (inline CSS and SVG, no script, no reference to
/// anything outside it; a Content-Security-Policy forbids fetching anyway), readable offline and
/// as a CI artifact.
///
/// ```
///   title + verdict · command · seed · elapsed
///   thresholds (✓/✗, actual, limit)
///   summary cards
///   latency by percentile · throughput / errors / bytes over time
///   timings table · per-route table · statuses and failures
/// ```
///
/// Every piece of user text (route labels from recordings, the command, threshold sources)
/// goes through `Markup.escape`.
extension LoadReport {
    public func html() -> String {
        let overall = statistics.overall
        let outcomes = outcomes
        var page = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>synapse load report</title>
            <style>
            \(ReportStyle.css)
            </style>
            </head>
            <body>
            <main>

            """
        page += header(outcomes: outcomes)
        page += thresholdSection(outcomes)
        page += summaryCards(overall)
        page += chartSection(overall)
        page += timingSection(overall)
        page += routeSection()
        page += errorSection(overall)
        page += footer(overall)
        return page + "</main>\n</body>\n</html>\n"
    }

    // MARK: Sections

    private func header(outcomes: [ThresholdOutcome]) -> String {
        let failed = outcomes.filter { !$0.passed }.count
        let badge =
            outcomes.isEmpty
            ? "<span class=\"badge none\">no thresholds</span>"
            : failed == 0
                ? "<span class=\"badge pass\">passed</span>" : "<span class=\"badge fail\">failed: \(failed) of \(outcomes.count) thresholds</span>"
        return """
            <h1>synapse load report \(badge)</h1>
            <p class="meta">command <code>\(Markup.escape(commandLine))</code></p>
            <p class="meta">seed <code>\(seed)</code> · elapsed <code>\(Markup.escape(FigureUnit.duration(micros: elapsed.seconds * 1_000_000)))</code></p>

            """
    }

    private func thresholdSection(_ outcomes: [ThresholdOutcome]) -> String {
        var html = "<h2>Thresholds</h2>\n"
        guard !outcomes.isEmpty else { return html + "<p class=\"note\">No thresholds were given (<code>--threshold p99&lt;500ms</code>).</p>\n" }
        html += "<div class=\"scroll\"><table>\n<tr><th></th><th class=\"text\">threshold</th><th>actual</th><th>limit</th><th class=\"text\">note</th></tr>\n"
        for outcome in outcomes {
            let mark = outcome.passed ? "<td class=\"pass\">✓ pass</td>" : "<td class=\"fail\">✗ fail</td>"
            var note = ""
            if case .noData(let reason) = outcome.verdict { note = "no data: " + reason }
            html += "<tr\(outcome.passed ? "" : " class=\"failed\"")>\(mark)<td class=\"route\">\(Markup.escape(outcome.threshold.source))</td>"
            html += "<td>\(Markup.escape(outcome.actualText))</td><td>\(Markup.escape(outcome.limitText))</td>"
            html += "<td class=\"text\">\(Markup.escape(note))</td></tr>\n"
        }
        return html + "</table></div>\n"
    }

    private func summaryCards(_ overall: RouteStatistics) -> String {
        let latency = TimingFigure.all(in: overall)[0]
        let cards: [(String, String)] = [
            ("requests", String(overall.requests)),
            ("throughput", throughput(of: overall).map { FigureUnit.rate.format($0) } ?? "–"),
            ("errors", overall.errorRate.map { "\(overall.errors) · " + FigureUnit.fraction.format($0) } ?? "–"),
            ("p50", latency.format(.percentile(50))),
            ("p99", latency.format(.percentile(99))),
            ("max", latency.format(.max)),
            ("sent", FigureUnit.bytes(overall.bytesSent)),
            ("received", FigureUnit.bytes(overall.bytesReceived)),
        ]
        var html = "<div class=\"cards\">\n"
        for (label, value) in cards {
            html += "<div class=\"card\"><div class=\"label\">\(label)</div><div class=\"value\">\(Markup.escape(value))</div></div>\n"
        }
        return html + "</div>\n"
    }

    private func chartSection(_ overall: RouteStatistics) -> String {
        var html = "<h2>Latency by percentile</h2>\n"
        html += percentileChart(overall: overall) ?? "<p class=\"note\">No requests were replayed.</p>\n"
        html += "<h2>Over time</h2>\n"
        let charts = [throughputChart(), errorChart(), transferChart()].compactMap { $0 }
        if charts.isEmpty { return html + "<p class=\"note\">No requests were replayed.</p>\n" }
        let width = FigureUnit.decimal(statistics.timeSeries.bucketWidth.seconds, significant: 3)
        html += "<p class=\"note\">Per \(width) s bucket, by completion time (intended send time plus latency).</p>\n"
        return html + charts.joined()
    }

    private func timingSection(_ overall: RouteStatistics) -> String {
        let figures = TimingFigure.all(in: overall).filter { !$0.histogram.isEmpty }
        guard !figures.isEmpty else { return "" }
        var html = "<h2>Timings</h2>\n<div class=\"scroll\"><table>\n<tr><th>timing</th><th>count</th>"
        let columns = Statistic.reported
        for statistic in columns { html += "<th>\(statistic)</th>" }
        html += "</tr>\n"
        for figure in figures {
            html += "<tr><td class=\"text\">\(Markup.escape(figure.title)) <span class=\"note\">\(figure.key)</span></td>"
            html += "<td>\(figure.histogram.count)</td>"
            for statistic in columns { html += "<td>\(Markup.escape(figure.format(statistic)))</td>" }
            html += "</tr>\n"
        }
        html += "</table></div>\n"
        return html
            + "<p class=\"note\">Timings run from each request's intended send time. RTF is latency over seconds of audio (below 1: faster than real time).</p>\n"
    }

    private func routeSection() -> String {
        guard !statistics.routes.isEmpty else { return "" }
        let columns: [Statistic] = [.percentile(50), .percentile(90), .percentile(99), .percentile(99.9), .max, .mean]
        var html = "<h2>Routes</h2>\n<div class=\"scroll\"><table>\n<tr><th class=\"text\">route</th><th>requests</th><th>errors</th><th>rate</th>"
        for statistic in columns { html += "<th>\(statistic)</th>" }
        html += "<th>ttfb p50</th><th>sent</th><th>received</th></tr>\n"
        for label in statistics.routeLabels {
            guard let route = statistics.routes[label] else { continue }
            let timings = TimingFigure.all(in: route)
            let errors = route.errorRate.map { "\(route.errors) · " + FigureUnit.fraction.format($0) } ?? "–"
            html += "<tr><td class=\"route\">\(Markup.escape(label))</td><td>\(route.requests)</td><td>\(Markup.escape(errors))</td>"
            html += "<td>\(Markup.escape(throughput(of: route).map { FigureUnit.rate.format($0) } ?? "–"))</td>"
            for statistic in columns { html += "<td>\(Markup.escape(timings[0].format(statistic)))</td>" }
            html += "<td>\(Markup.escape(timings[1].format(.percentile(50))))</td>"
            html += "<td>\(Markup.escape(FigureUnit.bytes(route.bytesSent)))</td><td>\(Markup.escape(FigureUnit.bytes(route.bytesReceived)))</td></tr>\n"
        }
        return html + "</table></div>\n"
    }

    private func errorSection(_ overall: RouteStatistics) -> String {
        guard !overall.statuses.isEmpty || !overall.failures.isEmpty else { return "" }
        var html = "<h2>Responses and failures</h2>\n<div class=\"scroll\"><table>\n<tr><th>outcome</th><th>count</th><th>share</th></tr>\n"
        let total = Double(max(overall.requests, 1))
        for (status, count) in overall.statuses.sorted(by: { $0.key < $1.key }) {
            let style = status >= 500 ? " class=\"failed\"" : ""
            html += "<tr\(style)><td class=\"text\">status \(status)</td><td>\(count)</td><td>\(FigureUnit.fraction.format(Double(count) / total))</td></tr>\n"
        }
        for kind in RequestSample.FailureKind.allCases {
            guard let count = overall.failures[kind] else { continue }
            html += "<tr class=\"failed\"><td class=\"text\">\(kind.rawValue)</td><td>\(count)</td>"
            html += "<td>\(FigureUnit.fraction.format(Double(count) / total))</td></tr>\n"
        }
        return html
            + "</table></div>\n<p class=\"note\">Errors are failures (refused, reset, timeout, other) and statuses of 500 and above; 4xx answers are counted but are not errors.</p>\n"
    }

    private func footer(_ overall: RouteStatistics) -> String {
        var html = "<h2>About these figures</h2>\n<p class=\"note\">HDR histograms, 3 significant digits, 1 µs to 1 hour."
        let clamped = clampedValues(in: overall)
        if clamped > 0 { html += " \(clamped) values above 1 hour were counted as 1 hour, so the maxima are floors." }
        return html + " Latency includes failed requests: the caller waited for those too.</p>\n"
    }
}
