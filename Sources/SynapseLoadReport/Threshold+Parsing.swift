/// Reading `--threshold` arguments (the grammar is on `Threshold`).
extension Threshold {
    /// Parses one `--threshold` argument; the error says what is wrong with it.
    public static func parse(_ text: String) throws(ThresholdError) -> Threshold {
        let source = text.trimmingWhitespace
        guard !source.isEmpty else { throw ThresholdError("empty threshold; write one such as p99<500ms or errors<1%") }

        // The scope ends at the last colon: neither metrics nor limits contain one, paths might.
        var rule = Substring(source)
        var scope: String?
        if let colon = source.lastIndex(of: ":") {
            let name = source[..<colon].trimmingWhitespace
            guard !name.isEmpty else { throw ThresholdError(source, "nothing before ':'; name a route there (/v1/chat/completions:p99<2s)") }
            scope = name
            rule = source[source.index(after: colon)...]
        }

        guard let operatorStart = rule.firstIndex(where: { $0 == "<" || $0 == ">" }) else {
            throw ThresholdError(source, "no comparison; use <, <=, > or >= (p99<500ms)")
        }
        var limitStart = rule.index(after: operatorStart)
        var symbol = String(rule[operatorStart])
        if limitStart < rule.endIndex, rule[limitStart] == "=" {
            symbol += "="
            limitStart = rule.index(after: limitStart)
        }
        let comparison = Comparison(rawValue: symbol)!
        let metric = try parseMetric(rule[..<operatorStart].trimmingWhitespace.lowercased(), source: source, comparison: symbol)
        let limit = try parseLimit(rule[limitStart...].trimmingWhitespace, for: metric, source: source)
        return Threshold(source: source, scope: scope, metric: metric, comparison: comparison, limit: limit)
    }

    private static let statisticHint = "use p50, p90, p95, p99, p99.9 (any p0…p100), max or mean"
    private static let metricHint =
        "use a latency statistic (p99, max, mean), ttfb, ttft, itl, ttfa, rtf, ttfs or overhead with a statistic (ttft.p95), errors, rps or requests"

    private static func parseMetric(_ name: String, source: String, comparison: String) throws(ThresholdError) -> Metric {
        switch name {
        case "": throw ThresholdError(source, "no metric before \(comparison); \(metricHint)")
        case "errors", "error_rate": return .errorRate
        case "rps", "throughput": return .throughput
        case "requests": return .requests
        default: break
        }
        if let statistic = statistic(name) { return .latency(statistic) }
        if Timing(rawValue: name) != nil {
            throw ThresholdError(source, "\(name) needs a statistic (\(name).p95); \(statisticHint)")
        }
        guard let dot = name.firstIndex(of: ".") else { throw ThresholdError(source, "unknown metric \(name); \(metricHint)") }
        let head = String(name[..<dot])
        let tail = String(name[name.index(after: dot)...])
        guard head == "latency" || Timing(rawValue: head) != nil else {
            throw ThresholdError(source, "unknown metric \(head); \(metricHint)")
        }
        guard let statistic = statistic(tail) else { throw ThresholdError(source, "unknown statistic \(tail); \(statisticHint)") }
        if let timing = Timing(rawValue: head) { return .timing(timing, statistic) }
        return .latency(statistic)
    }

    /// `p99` → 99, `p99.9` → 99.9, `max`, `mean`; nil for anything else.
    private static func statistic(_ name: String) -> Statistic? {
        switch name {
        case "max": return .max
        case "mean", "avg": return .mean
        case "median": return .percentile(50)
        default:
            guard name.hasPrefix("p"), let value = Double(name.dropFirst()), value.isFinite, value >= 0, value <= 100 else { return nil }
            return .percentile(value)
        }
    }

    private static func parseLimit(_ text: String, for metric: Metric, source: String) throws(ThresholdError) -> Double {
        guard !text.isEmpty else { throw ThresholdError(source, "no limit after the comparison (p99<500ms)") }
        let numberEnd = text.firstIndex { !($0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "+")) } ?? text.endIndex
        let numberText = text[..<numberEnd]
        let unit = text[numberEnd...].trimmingWhitespace.lowercased()
        guard let number = Double(numberText), number.isFinite else {
            throw ThresholdError(source, "\(numberText.isEmpty ? text : String(numberText)) is not a number")
        }
        guard number >= 0 else { throw ThresholdError(source, "a limit cannot be negative") }

        switch metric.unit {
        case .duration:
            switch unit {
            case "us", "µs": return number
            case "ms": return number * 1_000
            case "s": return number * 1_000_000
            case "m": return number * 60_000_000
            case "": throw ThresholdError(source, "\(numberText) needs a unit (\(numberText)ms); use us, ms, s or m")
            default: throw ThresholdError(source, "unknown unit \(unit); use us, ms, s or m")
            }
        case .fraction:
            switch unit {
            case "%":
                guard number <= 100 else { throw ThresholdError(source, "\(numberText)% is more than 100%") }
                return number / 100
            case "":
                guard number <= 1 else {
                    throw ThresholdError(source, "a bare error rate is a fraction 0…1; write \(numberText)% for a percentage")
                }
                return number
            default: throw ThresholdError(source, "errors is a rate: use a percentage (errors<1%) or a fraction (errors<0.01), not \(unit)")
            }
        case .rate, .count, .ratio:
            guard unit.isEmpty || (metric == .throughput && unit == "/s") else {
                throw ThresholdError(source, "\(metric.name) takes a bare number (\(metric.name)\(unitExample(metric))), not \(unit)")
            }
            return number
        }
    }

    private static func unitExample(_ metric: Metric) -> String {
        switch metric {
        case .throughput: ">100"
        case .requests: ">=1000"
        default: "<1"
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    var trimmingWhitespace: String {
        let characters = Substring(self).drop { $0.isWhitespace }
        return String(characters.reversed().drop { $0.isWhitespace }.reversed())
    }
}
